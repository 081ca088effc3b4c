package extracteval

import (
	"hash/fnv"
)

// Half returns 0 or 1 for a page, by an FNV-1a hash of its file name
// (<id>.html). Developing on one half and checking each change on the
// other keeps the rules from being fitted to the pages looked at.
func Half(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id + ".html"))
	return int(h.Sum32() % 2)
}

// ByHalf pools the counts of each half of the corpus (see Half).
func (r *Report) ByHalf() [2]Counts {
	var c [2]Counts
	for _, p := range r.Pages {
		h := Half(p.ID)
		c[h] = c[h].Add(p.Counts)
	}
	return c
}
