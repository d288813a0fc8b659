package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// The book and the additions are parsed ahead of time into Go values
// (prebuilt_gen.go), so that a starting bot neither parses YAML nor makes
// the garbage of parsing it: with the YAML parsed at start-up the bot was
// ready to serve about 5 ms later and held about 0.5 MB more (see
// BENCHMARKS.md). The YAML files stay the source: after an edit,
//
//	go test ./knowledge -run TestPrebuiltMatchesTheYAML -update
//
// writes prebuilt_gen.go again. Until then the files no longer match
// prebuiltSum, Load parses the YAML as before, and that test fails.

// yamlSum is the SHA-256 of the embedded book and additions.
func yamlSum() string {
	h := sha256.New()
	h.Write(bookYAML)
	h.Write([]byte{0})
	h.Write(additionsYAML)
	return hex.EncodeToString(h.Sum(nil))
}

// prebuilt returns the prebuilt base, or nil when it was made from other
// YAML than the embedded files.
var prebuilt = sync.OnceValue(func() *Base {
	if prebuiltSum != yamlSum() {
		return nil
	}
	b := &Base{Source: prebuiltSource, Clusters: prebuiltClusters, Cards: prebuiltCards, Related: prebuiltRelated, byFold: map[string]any{}}
	// The generated values cannot point back up (a value to its cluster, a
	// theme to its values) without an initialization cycle: link them here,
	// and name them as add does.
	for _, c := range b.Clusters {
		b.byFold["c:"+Fold(c.Name)] = c
		for _, v := range c.Values {
			v.Cluster = c
			b.byFold["v:"+Fold(v.Name)] = v
		}
	}
	for _, card := range b.Cards {
		b.byFold["k:"+Fold(card.Name)] = card
		for _, g := range card.Groups {
			g.Card = card
			for _, t := range g.Themes {
				t.Group = g
				b.byFold["t:"+Fold(t.Name)] = t
			}
		}
	}
	for _, v := range b.Values() {
		for _, t := range v.Themes {
			t.Values = append(t.Values, v)
		}
	}
	b.indexLazily()
	return b
})
