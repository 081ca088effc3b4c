package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// guessLanguage names the language of an article text that declares none,
// from the share of each language's commonest short words, or by script
// for the languages whose script tells. It returns "" when nothing is
// clear: a wrong language is worse than none.
func guessLanguage(text string) string {
	if len(text) > maxGuessText {
		text = text[:maxGuessText]
	}
	var han, kana, hangul, cyrillic, greek, arabic, hebrew, letters int
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Greek, r):
			greek++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Hebrew, r):
			hebrew++
		}
	}
	if letters < minGuessLetters {
		return ""
	}
	half := letters / 2
	switch {
	case kana > letters/10 && kana+han > half:
		return "ja"
	case han > half:
		return "zh"
	case hangul > half:
		return "ko"
	case greek > half:
		return "el"
	case arabic > half:
		return "ar"
	case hebrew > half:
		return "he"
	case cyrillic > half:
		return wordVote(text, cyrillicIndex)
	}
	return wordVote(text, latinIndex)
}

// maxGuessText bounds the text read for a guess; minGuessLetters is the
// least that gives one.
const (
	maxGuessText    = 8 << 10
	minGuessLetters = 200
)

// latinWords and cyrillicWords are each language's commonest function
// words, chosen not to be words of the other languages listed.
var (
	latinWords = map[string][]string{
		"en": {"the", "and", "of", "to", "is", "that", "with", "for", "was", "this"},
		"de": {"der", "die", "und", "das", "nicht", "mit", "ist", "auf", "sich", "dem"},
		"fr": {"le", "les", "des", "est", "et", "dans", "une", "du", "pour", "qui"},
		"es": {"el", "los", "las", "del", "y", "por", "una", "con", "para", "que"},
		"it": {"il", "della", "di", "che", "è", "per", "gli", "non", "una", "sono"},
		"pt": {"o", "os", "do", "da", "em", "não", "uma", "com", "para", "que"},
		"nl": {"de", "het", "een", "van", "en", "niet", "zijn", "op", "dat", "met"},
		"pl": {"się", "nie", "na", "w", "jest", "że", "do", "to", "z", "jak"},
	}
	cyrillicWords = map[string][]string{
		"ru": {"и", "в", "не", "на", "что", "с", "по", "это", "как", "он"},
		"uk": {"і", "та", "що", "не", "на", "це", "як", "від", "до", "він"},
		"bg": {"и", "на", "да", "се", "от", "за", "са", "че", "не", "с"},
	}
)

// latinIndex and cyrillicIndex map each word of latinWords and
// cyrillicWords to the languages it belongs to.
var (
	latinIndex    = indexWords(latinWords)
	cyrillicIndex = indexWords(cyrillicWords)
)

func indexWords(words map[string][]string) map[string][]string {
	index := make(map[string][]string)
	for lang, ws := range words {
		for _, w := range ws {
			index[w] = append(index[w], lang)
		}
	}
	return index
}

// wordVote returns the language whose words (index: word to languages) are
// the largest share of the text's words, if it is a clear winner.
func wordVote(text string, index map[string][]string) string {
	counts := make(map[string]int)
	seen := make(map[string]bool)
	distinct := make(map[string]int)
	total := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != utf8.RuneError
	}) {
		total++
		for _, lang := range index[w] {
			counts[lang]++
			if !seen[lang+" "+w] {
				seen[lang+" "+w] = true
				distinct[lang]++
			}
		}
	}
	best, second := "", 0
	for lang, n := range counts {
		switch {
		case best == "" || n > counts[best] || n == counts[best] && lang < best:
			if best != "" {
				second = max(second, counts[best])
			}
			best = lang
		default:
			second = max(second, n)
		}
	}
	// A clear winner: several of its words, over a twelfth of the text's
	// words, and half again the runner-up.
	if best == "" || distinct[best] < 3 || counts[best]*12 <= total || counts[best]*2 < second*3 {
		return ""
	}
	return best
}

// isLangTag reports whether s looks like a language tag: a primary subtag
// of two or three letters, then subtags of letters and digits ("de",
// "pt-BR", "de_DE", "zh-Hant-TW").
func isLangTag(s string) bool {
	for i, sub := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		if i == 0 && (len(sub) < 2 || len(sub) > 3) || len(sub) > 8 {
			return false
		}
		for _, c := range sub {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return s != "" && s[0] != '-' && s[0] != '_'
}
