package crashtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// function words make generated sentences read as prose to the extractor;
// the content words are made of syllables so that two stories share no
// phrases and never look like near-duplicates of each other.
var functionWords = []string{"the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "by", "at", "from", "said", "has", "its", "after"}

var syllables = []string{"ka", "lo", "mer", "tin", "sa", "vor", "den", "pa", "ri", "gul", "ne", "bro", "ta", "fen", "mi", "dor", "su", "ha", "zel", "qui"}

func contentWord(rng *rand.Rand) string {
	n := 2 + rng.IntN(2)
	var b strings.Builder
	for range n {
		b.WriteString(syllables[rng.IntN(len(syllables))])
	}
	return b.String()
}

func sentence(rng *rand.Rand) string {
	n := 10 + rng.IntN(12)
	words := make([]string, n)
	for i := range words {
		if i%2 == 1 {
			words[i] = functionWords[rng.IntN(len(functionWords))]
		} else {
			words[i] = contentWord(rng)
		}
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ") + "."
}

func newStory(rng *rand.Rand, k int) Story {
	title := fmt.Sprintf("Report %d: %s %s %s", k, contentWord(rng), functionWords[rng.IntN(len(functionWords))], contentWord(rng))
	paras := make([]string, 5+rng.IntN(5))
	for i := range paras {
		sents := make([]string, 3+rng.IntN(3))
		for j := range sents {
			sents[j] = sentence(rng)
		}
		paras[i] = strings.Join(sents, " ")
	}
	return Story{Title: title, Paragraphs: paras}
}
