package knowledge

import (
	"cmp"
	"slices"
	"strings"
)

// AtStake returns up to n values most likely at stake in a free text such as
// a casus or a debate topic, best first. A value scores when the text names
// it or one of its synonyms (3), names a related term that points to it (2),
// contains one of its keywords (2, project's own list; a keyword of five or
// more letters also counts inside a Dutch compound: inkomensgegevens), or shares words with
// its opinions or with the questions of its linked themes (1 per hit). Values
// without any score are not returned.
func (b *Base) AtStake(text string, n int) []*Value {
	folded := " " + Fold(text) + " "
	words := strings.Fields(folded)
	has := func(phrase string) bool {
		f := Fold(phrase)
		return f != "" && strings.Contains(folded, " "+f+" ")
	}
	score := map[*Value]int{}
	for _, v := range b.Values() {
		if has(v.Name) {
			score[v] += 3
		}
		for _, s := range v.Synonyms {
			if has(s) {
				score[v] += 3
			}
		}
		for _, k := range v.Keywords {
			if containsWord(words, Fold(k)) {
				score[v] += 2
			}
		}
	}
	for _, r := range b.Related {
		if has(r.Term) {
			for _, v := range r.Values {
				score[v] += 2
			}
		}
	}
	for _, h := range b.Search(text, 20) {
		if h.Value != nil {
			score[h.Value]++
		}
		if h.Theme != nil {
			for _, v := range h.Theme.Values {
				score[v]++
			}
		}
	}
	order := map[*Value]int{}
	var vs []*Value
	for i, v := range b.Values() {
		order[v] = i
		if score[v] > 0 {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b *Value) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return cmp.Compare(order[a], order[b])
	})
	return vs[:min(n, len(vs))]
}

// containsWord reports whether k is one of the words, or, for a keyword of
// five or more letters, part of one (Dutch writes compounds as one word).
func containsWord(words []string, k string) bool {
	for _, w := range words {
		if w == k || (len(k) >= 5 && strings.Contains(w, k)) {
			return true
		}
	}
	return false
}
