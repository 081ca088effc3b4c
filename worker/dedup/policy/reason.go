package policy

// Reason says why a sighting was filed under an article (sources.reason).
type Reason string

// The reasons, one per layer of Decide.
const (
	First         Reason = "first"          // the sighting that created the article
	SameURL       Reason = "same_url"       // fetched from the article's address, or a canonical claim its text bears out
	SameHash      Reason = "same_hash"      // the same normalised text
	NearDuplicate Reason = "near_duplicate" // the same story by dedup's measure
)
