package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"
)

// Fold reduces text to the form that searches compare: lower case, without
// diacritics (Hiërarchie → hierarchie), with every run of punctuation, quotes
// (straight or curly) and white space turned into one space. Apostrophes
// inside a word split it, so "camera's" folds to "camera s".
func Fold(s string) string {
	if !isASCII(s) {
		s = stripMarks(s)
	}
	return foldWords(s)
}

// foldWords lower-cases the letters and digits of s and turns every run of
// anything else into one space, without spaces at the ends.
func foldWords(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	space := true // suppress leading space
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			sb.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(sb.String(), " ")
}

// stripMarks removes diacritics: it decomposes s (NFD: ë becomes e and a
// combining diaeresis), drops the nonspacing marks and composes what is
// left again (NFC). It is transform.Chain(norm.NFD, runes.Remove(Mn),
// norm.NFC) without the chain's buffers, which cost 9 KB for every call.
func stripMarks(s string) string {
	d := norm.NFD.String(s)
	var sb strings.Builder
	sb.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			sb.WriteRune(r)
		}
	}
	return norm.NFC.String(sb.String())
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stopwords are Dutch (and a few English) function words that carry no
// meaning for a search.
var stopwords = map[string]bool{
	"aan": true, "al": true, "als": true, "bij": true, "dan": true, "dat": true,
	"de": true, "die": true, "dit": true, "door": true, "een": true, "en": true,
	"er": true, "het": true, "hoe": true, "ik": true, "in": true, "is": true,
	"je": true, "kan": true, "met": true, "moet": true, "na": true, "naar": true,
	"niet": true, "of": true, "om": true, "onze": true, "ons": true, "ook": true,
	"op": true, "over": true, "te": true, "tot": true, "uit": true, "van": true,
	"voor": true, "wat": true, "we": true, "welke": true, "wie": true, "wij": true,
	"wil": true, "willen": true, "zijn": true, "zo": true, "ze": true, "zich": true,
	"mag": true, "moeten": true, "gaan": true, "wel": true, "geen": true, "nog": true,
	"the": true, "and": true,
	// Words that occur in almost every opinion and question of the book.
	"gemeente": true, "gemeenten": true, "gemeentelijke": true, "gebruik": true,
	"gebruiken": true, "burgers": true,
}

// terms splits folded text into search terms: stemmed with the Dutch Snowball
// stemmer, without stop words and one-letter fragments.
func terms(folded string) []string {
	var out []string
	for _, w := range strings.Fields(folded) {
		if len(w) < 2 || stopwords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

// stem returns the Dutch Snowball stem of a folded word. Short words and
// words with digits (5g, 112) are kept as they are.
func stem(w string) string {
	if len(w) < 4 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return w
		}
	}
	env := snowballstem.NewEnv(w)
	dutch.Stem(env)
	return env.Current()
}
