package htmlcost

import "golang.org/x/net/html/atom"

// The element classes of the HTML tree-construction rules that decide how
// many nodes a page builds.

func isFormatting(a atom.Atom) bool {
	switch a {
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr,
		atom.S, atom.Small, atom.Strike, atom.Strong, atom.Tt, atom.U:
		return true
	}
	return false
}

// isMarker: elements that put a marker on the formatting list, so that
// formatting opened outside them is not reopened inside.
func isMarker(a atom.Atom) bool {
	switch a {
	case atom.Applet, atom.Object, atom.Marquee, atom.Template, atom.Td, atom.Th, atom.Caption:
		return true
	}
	return false
}

// isScope: elements an end tag does not search past.
func isScope(a atom.Atom) bool {
	switch a {
	case atom.Html, atom.Table, atom.Td, atom.Th, atom.Caption, atom.Marquee, atom.Object,
		atom.Applet, atom.Template:
		return true
	}
	return false
}

// closesP: start tags that end an open <p>.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Header, atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P,
		atom.Search, atom.Section, atom.Summary, atom.Ul, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Pre, atom.Listing, atom.Form, atom.Li, atom.Dd, atom.Dt,
		atom.Plaintext, atom.Table, atom.Hr, atom.Xmp:
		return true
	}
	return false
}

// noReconstruct: start tags before which the parser does not reopen
// formatting elements. Every other start tag and every text run does, so a
// tag left off this list only makes the count higher, never lower.
func noReconstruct(a atom.Atom) bool {
	return closesP(a) || isMarker(a) && a != atom.Applet && a != atom.Object && a != atom.Marquee ||
		a == atom.Html || a == atom.Head || a == atom.Body || a == atom.Title || a == atom.Meta ||
		a == atom.Link || a == atom.Base || a == atom.Style || a == atom.Script || a == atom.Tr ||
		a == atom.Tbody || a == atom.Thead || a == atom.Tfoot || a == atom.Col || a == atom.Colgroup
}

// isVoid: elements with no end tag, which never stay open.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Keygen, atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

// isIntegrationPoint: foreign elements inside which the parser reads start
// tags as HTML (MathML text and annotation-xml, SVG foreignObject and desc).
func isIntegrationPoint(a atom.Atom) bool {
	switch a {
	case atom.Foreignobject, atom.Desc, atom.Mi, atom.Mo, atom.Mn, atom.Ms, atom.Mtext, atom.AnnotationXml:
		return true
	}
	return false
}

// breaksOut: start tags that end foreign content (<font> only with some
// attributes, so it is left out: staying in foreign content longer is the
// safe side here).
func breaksOut(a atom.Atom) bool {
	switch a {
	case atom.B, atom.Big, atom.Blockquote, atom.Body, atom.Br, atom.Center, atom.Code, atom.Dd,
		atom.Div, atom.Dl, atom.Dt, atom.Em, atom.Embed, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Head, atom.Hr, atom.I, atom.Img, atom.Li, atom.Listing, atom.Menu,
		atom.Meta, atom.Nobr, atom.Ol, atom.P, atom.Pre, atom.Ruby, atom.S, atom.Small, atom.Span,
		atom.Strong, atom.Strike, atom.Sub, atom.Sup, atom.Table, atom.Tt, atom.U, atom.Ul, atom.Var:
		return true
	}
	return false
}
