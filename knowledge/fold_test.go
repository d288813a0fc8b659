package knowledge

import (
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// chainFold is Fold as it was written first, with x/text's transform chain:
// the reference that Fold must agree with.
func chainFold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if r, _, err := transform.String(t, s); err == nil {
		s = r
	}
	return foldWords(s)
}

var foldSeeds = []string{
	"Hiërarchie", "Continuïteit", "ideëel", "Ça va, François?", "Tiếng Việt", "한국어 낱말",
	"e\u0301e\u0308", "\u1100\u1161\u11a8", "ﬁnance ²", "Å Ω K", "\xff\xfeprivacy", "camera’s", "",
}

func TestFoldAgreesWithTheTransformChain(t *testing.T) {
	for _, s := range foldSeeds {
		if got, want := Fold(s), chainFold(s); got != want {
			t.Errorf("Fold(%q) = %q, the transform chain gives %q", s, got, want)
		}
	}
}

func FuzzFoldAgreesWithTheTransformChain(f *testing.F) {
	for _, s := range foldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), chainFold(s); got != want {
			t.Fatalf("Fold(%q) = %q, the transform chain gives %q", s, got, want)
		}
	})
}
