package extract

import "golang.org/x/net/html/atom"

// isInline reports elements that continue the current line of text rather
// than starting a new block.
func isInline(a atom.Atom) bool {
	switch a {
	case atom.A, atom.Abbr, atom.B, atom.Bdi, atom.Bdo, atom.Cite, atom.Code,
		atom.Data, atom.Dfn, atom.Em, atom.I, atom.Kbd, atom.Mark, atom.Q,
		atom.S, atom.Samp, atom.Small, atom.Span, atom.Strong, atom.Sub,
		atom.Sup, atom.Time, atom.U, atom.Var, atom.Wbr, atom.Font, atom.Big,
		atom.Strike, atom.Tt, atom.Label, atom.Img, atom.Nobr, atom.Ins,
		atom.Del, atom.Acronym, atom.Picture, atom.Source, atom.Ruby, atom.Rb:
		return true
	}
	return false
}

// isHeading reports h1 to h6.
func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// isFurniture reports elements that by their tag hold page furniture, never
// article text.
func isFurniture(a atom.Atom) bool {
	switch a {
	case atom.Nav, atom.Aside, atom.Footer, atom.Form, atom.Dialog, atom.Menu:
		return true
	}
	return false
}

// isContainer reports the elements that conditional cleaning judges as a
// whole: the boxes templates put widgets in.
func isContainer(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Section, atom.Ul, atom.Ol, atom.Dl, atom.Table,
		atom.Aside, atom.Header, atom.Footer, atom.Figure, atom.Article, atom.Center:
		return true
	}
	return false
}
