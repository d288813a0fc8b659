package knowledge

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Match is a name the query was found to mean. Exactly one of the pointer
// fields is set.
type Match struct {
	Value   *Value
	Cluster *Cluster
	Theme   *Theme
	Group   *Group
	Card    *Card
	Related *Related

	Name      string // the name as the book (or the additions) spell it
	Via       string // the synonym that matched, if the query was one
	Corrected bool   // true when the query was a typo of Name
}

// Hit is an opinion or a question that a free-text search found.
type Hit struct {
	Value *Value // set for an opinion
	Theme *Theme // set for a question
	Text  string // the opinion or question, verbatim
	Score int    // number of query terms it contains
}

// entry is a name in the index: a value, cluster, theme, group, card or
// related term, under its own name or a synonym.
type entry struct {
	folded string
	words  []string
	match  Match
}

// doc is one opinion or question.
type doc struct {
	value *Value
	theme *Theme
	text  string
}

type index struct {
	names    map[string][]*entry
	entries  []*entry
	docs     []doc
	postings map[string][]int32 // term → docs that contain it
	vocab    []string           // all terms, sorted, for prefix expansion
}

// rank orders kinds for display when one name means several things.
func (m Match) rank() int {
	switch {
	case m.Value != nil:
		return 0
	case m.Cluster != nil:
		return 1
	case m.Theme != nil:
		return 2
	case m.Group != nil:
		return 3
	case m.Card != nil:
		return 4
	}
	return 5
}

func buildIndex(b *Base) *index {
	ix := &index{names: map[string][]*entry{}, postings: map[string][]int32{}}
	add := func(name, via string, m Match) {
		m.Name, m.Via = name, via
		key := name
		if via != "" {
			key = via
		}
		f := Fold(key)
		if f == "" {
			return
		}
		for _, e := range ix.names[f] {
			if e.match.Name == m.Name && e.match.rank() == m.rank() {
				return // same target under a duplicate key
			}
		}
		e := &entry{folded: f, words: strings.Fields(f), match: m}
		ix.names[f] = append(ix.names[f], e)
		ix.entries = append(ix.entries, e)
	}
	for _, c := range b.Clusters {
		add(c.Name, "", Match{Cluster: c})
		for _, v := range c.Values {
			add(v.Name, "", Match{Value: v})
			for _, s := range v.Synonyms {
				add(v.Name, s, Match{Value: v})
			}
		}
	}
	for _, c := range b.Cards {
		add(c.Name, "", Match{Card: c})
		for _, s := range c.Synonyms {
			add(c.Name, s, Match{Card: c})
		}
		for _, g := range c.Groups {
			add(g.Name, "", Match{Group: g})
			for _, t := range g.Themes {
				add(t.Name, "", Match{Theme: t})
				for _, s := range t.Synonyms {
					add(t.Name, s, Match{Theme: t})
				}
			}
		}
	}
	for _, r := range b.Related {
		add(r.Term, "", Match{Related: r})
	}

	for _, v := range b.Values() {
		for _, op := range v.Opinions {
			ix.docs = append(ix.docs, doc{value: v, text: op})
		}
	}
	for _, t := range b.Themes() {
		for _, q := range t.Questions {
			ix.docs = append(ix.docs, doc{theme: t, text: q})
		}
	}
	for i, d := range ix.docs {
		for _, term := range uniq(terms(Fold(d.text))) {
			ix.postings[term] = append(ix.postings[term], int32(i))
		}
	}
	for term := range ix.postings {
		ix.vocab = append(ix.vocab, term)
	}
	sort.Strings(ix.vocab)
	return ix
}

func uniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// Lookup finds what a short query names: a value, cluster, theme, group,
// card or related term. It tries, in order, an exact name or synonym (case
// and diacritics ignored), names that contain all the query's words
// ("openbare ruimte"), and names within a small edit distance (privasy →
// Privacy). It returns the matches of the first step that finds any, values
// before clusters before themes, groups, cards and related terms.
func (b *Base) Lookup(query string) []Match {
	q := Fold(query)
	if q == "" {
		return nil
	}
	ix := b.index()
	if es := ix.names[q]; len(es) > 0 {
		return collect(es, false)
	}
	if ms := ix.containing(strings.Fields(q)); len(ms) > 0 {
		return ms
	}
	return ix.nearest(q)
}

func collect(es []*entry, corrected bool) []Match {
	out := make([]Match, 0, len(es))
	for _, e := range es {
		m := e.match
		m.Corrected = corrected
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Match) int { return cmp.Compare(a.rank(), b.rank()) })
	return out
}

// containing returns the entries whose name has, for every query word, a word
// that starts with it. Words of fewer than three letters and stop words are
// too common to decide anything and are ignored.
func (ix *index) containing(qwords []string) []Match {
	var words []string
	for _, w := range qwords {
		if len(w) >= 3 && !stopwords[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return nil
	}
	var found []*entry
	for _, e := range ix.entries {
		if containsAll(e.words, words) {
			found = append(found, e)
		}
	}
	return collect(dedupe(found), false)
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		ok := false
		for _, h := range have {
			if strings.HasPrefix(h, w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// dedupe keeps one entry per target (a name and its synonyms may all match).
func dedupe(es []*entry) []*entry {
	var out []*entry
	for _, e := range es {
		dup := false
		for _, o := range out {
			if o.match.Name == e.match.Name && o.match.rank() == e.match.rank() {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// maxTypos is how many edits a query of n letters may be away from a name to
// count as a typo of it.
func maxTypos(n int) int {
	switch {
	case n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// nearest returns the names closest to q within the typo allowance.
func (ix *index) nearest(q string) []Match {
	limit := maxTypos(len(q))
	if limit == 0 {
		return nil
	}
	best, found := limit+1, []*entry(nil)
	for _, e := range ix.entries {
		if abs(len(e.folded)-len(q)) > limit {
			continue
		}
		d := levenshtein.ComputeDistance(q, e.folded)
		switch {
		case d < best:
			best, found = d, []*entry{e}
		case d == best:
			found = append(found, e)
		}
	}
	return collect(dedupe(found), true)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Suggest returns up to n names that look most like the query, for an answer
// that found nothing. Only values, clusters and themes are suggested.
func (b *Base) Suggest(query string, n int) []string {
	q := Fold(query)
	dist := map[string]float64{}
	var names []string
	for _, e := range b.index().entries {
		m := e.match
		if m.Value == nil && m.Cluster == nil && m.Theme == nil {
			continue
		}
		d := similarity(q, e.folded)
		for _, w := range e.words { // one word of a long theme name may be closer
			if len(w) >= 4 {
				d = min(d, similarity(q, w)+0.05)
			}
		}
		old, seen := dist[m.Name]
		if !seen {
			names = append(names, m.Name)
		}
		if !seen || d < old {
			dist[m.Name] = d
		}
	}
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(dist[a], dist[b]) })
	return names[:min(n, len(names))]
}

// similarity is the edit distance relative to the longer string: 0 for equal
// strings, 1 for nothing in common.
func similarity(a, b string) float64 {
	return float64(levenshtein.ComputeDistance(a, b)) / float64(max(len(a), len(b), 1))
}

// Search finds opinions and questions that contain the words of a free-text
// query (stemmed: algoritme finds algoritmen; a word of four or more letters
// also finds longer words it starts: privacy finds privacyregels). Hits are
// ordered by how many query terms they contain, then in book order. When the
// best hit has several terms, hits with only one are left out. At most limit
// hits are returned.
func (b *Base) Search(query string, limit int) []Hit {
	ix := b.index()
	qterms := uniq(terms(Fold(query)))
	if len(qterms) == 0 {
		return nil
	}
	scores := make(map[int32]int)
	best := 0
	for _, t := range qterms {
		for _, d := range ix.lookupTerm(t) {
			scores[d]++
			best = max(best, scores[d])
		}
	}
	ids := make([]int32, 0, len(scores))
	for id, s := range scores {
		if best == 1 || s > 1 {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b int32) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	hits := make([]Hit, 0, min(limit, len(ids)))
	for _, id := range ids[:min(limit, len(ids))] {
		d := ix.docs[id]
		hits = append(hits, Hit{Value: d.value, Theme: d.theme, Text: d.text, Score: scores[id]})
	}
	return hits
}

// lookupTerm returns the docs that contain the term, or a longer term that
// starts with it when it has four or more letters.
func (ix *index) lookupTerm(t string) []int32 {
	if len(t) < 4 {
		return ix.postings[t]
	}
	i := sort.SearchStrings(ix.vocab, t)
	var out []int32
	for ; i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], t); i++ {
		out = append(out, ix.postings[ix.vocab[i]]...)
	}
	return uniqIDs(out)
}

func uniqIDs(s []int32) []int32 {
	slices.Sort(s)
	return slices.Compact(s)
}
