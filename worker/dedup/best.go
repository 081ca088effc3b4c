package dedup

// Verification thresholds. The README ("Near-duplicates") gives the reasoning and the
// measurements behind them.
const (
	// A candidate is a copy when the containment of the smaller shingle set
	// in the larger is at least sureContainment, or at least minContainment
	// and the lead of one text is in the other (at least minLead of it).
	sureContainment = 0.8
	minContainment  = 0.5
	minLead         = 0.5
	// minShared: and the two share at least this many shingles, so that two
	// short texts cannot match on a sentence of common furniture.
	minShared = 20
	// minLargeShare: and the shared shingles are at least this share of the
	// larger text. A copy keeps at least 60% of the story; a page whose
	// extraction is more than three quarters furniture around it falls
	// below 0.6/4 = 0.15. Below that the smaller text is a fragment (a
	// sidebar, a teaser) that the larger one happens to contain.
	minLargeShare = 0.15
	// upgradeContainment: a new text replaces the stored one only when it
	// holds nearly all of it (the stored copy's own leftovers are the slack)
	// and has more words.
	upgradeContainment = 0.9
)

// Best verifies the candidates against the new text's sketch and returns the
// one it duplicates, the one with the highest containment. It reports an
// Upgrade when the new text holds the stored one and is longer: the stored
// text was a trimmed copy.
func Best(fp Fingerprint, cands []Candidate) (Match, bool) {
	mine := decodeSketch(fp.Sketch)
	if len(mine.all) == 0 {
		return Match{}, false
	}
	var best Match
	bestResemblance, found := 0.0, false
	for _, c := range cands {
		theirs := decodeSketch(c.Sketch)
		shared, ok := verify(mine, theirs)
		if !ok {
			continue
		}
		sim := float64(shared) / float64(min(len(mine.all), len(theirs.all)))
		// Equal containment ties between the original and a longer page that
		// holds it; the closer in size (the higher Jaccard) is the copy.
		res := float64(shared) / float64(len(mine.all)+len(theirs.all)-shared)
		if found && (sim < best.Similarity || sim == best.Similarity && res <= bestResemblance) {
			continue
		}
		found, bestResemblance = true, res
		best = Match{
			ArticleID:  c.ArticleID,
			Similarity: sim,
			Upgrade: fp.Words > c.Words && len(mine.all) > len(theirs.all) &&
				float64(shared) >= upgradeContainment*float64(len(theirs.all)),
		}
	}
	return best, found
}

// verify decides whether two sketches are copies of one story and returns
// how many shingles they share.
//
// Containment, not resemblance: a trimmed copy is a subset of the original,
// so the share of the smaller text found in the larger stays high where the
// Jaccard index falls with every cut paragraph. Page furniture the extractor
// left in either text lowers it; furniture both pages share (a template's
// sidebar around two different stories) raises it. At sureContainment the
// shared furniture would have to be four fifths of a text, which is an
// extraction failure rather than a page. Between minContainment and
// sureContainment the stories must also open alike: the lead is where the
// story itself begins, and a copy keeps it whatever else it cuts or adds,
// while a shared sidebar does not make two different leads alike.
func verify(a, b sketch) (shared int, ok bool) {
	if len(a.all) == 0 || len(b.all) == 0 {
		return 0, false
	}
	shared = intersect(a.all, b.all)
	c := float64(shared) / float64(min(len(a.all), len(b.all)))
	switch {
	case shared < minShared || c < minContainment ||
		float64(shared) < minLargeShare*float64(max(len(a.all), len(b.all))):
		return shared, false
	case c >= sureContainment:
		return shared, true
	}
	return shared, leadShare(a.lead, b.all) >= minLead || leadShare(b.lead, a.all) >= minLead
}

// leadShare is the share of a lead found in another text.
func leadShare(lead, all []uint32) float64 {
	if len(lead) == 0 {
		return 0
	}
	return float64(intersect(lead, all)) / float64(len(lead))
}
