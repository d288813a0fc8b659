package poll

import (
	"cmp"
	"slices"

	"github.com/waardenbot/waardenbot/knowledge"
)

// Result is what a poll's votes say: the count per option, per cluster of
// the Waardenkaart, the values chosen strongly, the tensions between them
// and questions to continue the conversation with.
//
// An option is chosen strongly when it has at least one vote and at least
// half the votes of the option with the most votes. A tension is a pair of
// strongly chosen values from different clusters; a value that is not on
// the Waardenkaart counts as a cluster of its own, but two such values are
// not paired, as nothing says where they lie. Tensions are ordered by
// the votes of the weaker value of the pair, then by the pair's total, and
// the first three are kept. Only a value poll with votes has clusters,
// strong values, tensions and questions.
type Result struct {
	Options   []Count // every option, most votes first (poll order on ties)
	Clusters  []Count // clusters with votes, most votes first; values not on the map are left out
	Strong    []Option
	Tensions  []Tension
	Questions []FollowUp
	Voters    int
}

// Count is a number of votes for an option or a cluster.
type Count struct {
	Key   string `json:"key,omitempty"`
	Name  string `json:"name"`
	Votes int    `json:"votes"`
}

// Tension is a pair of strongly chosen values from different clusters.
type Tension struct {
	A Option
	B Option
}

// FollowUp is a question from the question cards that fits a winning value.
type FollowUp struct {
	Question string `json:"question"`
	Theme    string `json:"theme"`
	Value    string `json:"value"`
}

const (
	maxTensions  = 3
	maxQuestions = 3
)

// Result computes the Result of p with tally t. It reads the counts
// whether or not the poll hides them: the caller decides what to show.
func (s *Service) Result(p Poll, t Tally) Result {
	return result(s.kb, p, t)
}

func result(kb *knowledge.Base, p Poll, t Tally) Result {
	r := Result{Voters: t.Voters}
	for _, o := range p.Options {
		r.Options = append(r.Options, Count{Key: o.Key, Name: o.Label, Votes: t.Votes[o.Key]})
	}
	slices.SortStableFunc(r.Options, func(a, b Count) int { return cmp.Compare(b.Votes, a.Votes) })
	if p.Kind != Values || len(r.Options) == 0 || r.Options[0].Votes == 0 {
		return r
	}

	clusters := map[string]int{}
	var names []string
	for _, o := range p.Options {
		if o.Cluster == "" || !o.OnMap {
			continue
		}
		if _, seen := clusters[o.Cluster]; !seen {
			names = append(names, o.Cluster)
		}
		clusters[o.Cluster] += t.Votes[o.Key]
	}
	for _, n := range names {
		if clusters[n] > 0 {
			r.Clusters = append(r.Clusters, Count{Name: n, Votes: clusters[n]})
		}
	}
	slices.SortStableFunc(r.Clusters, func(a, b Count) int { return cmp.Compare(b.Votes, a.Votes) })

	top := r.Options[0].Votes
	for _, c := range r.Options {
		if c.Votes > 0 && 2*c.Votes >= top {
			o, _ := p.Option(c.Key)
			r.Strong = append(r.Strong, o)
		}
	}
	for i, a := range r.Strong {
		for _, b := range r.Strong[i+1:] {
			sameCluster := a.OnMap && b.OnMap && a.Cluster == b.Cluster
			if sameCluster || !a.OnMap && !b.OnMap {
				continue
			}
			r.Tensions = append(r.Tensions, Tension{A: a, B: b})
		}
	}
	weak := func(x Tension) (int, int) {
		va, vb := t.Votes[x.A.Key], t.Votes[x.B.Key]
		return min(va, vb), va + vb
	}
	slices.SortStableFunc(r.Tensions, func(x, y Tension) int {
		xw, xs := weak(x)
		yw, ys := weak(y)
		if c := cmp.Compare(yw, xw); c != 0 {
			return c
		}
		return cmp.Compare(ys, xs)
	})
	r.Tensions = r.Tensions[:min(maxTensions, len(r.Tensions))]
	r.Questions = followUps(kb, r.Strong)
	return r
}

// followUps takes questions from the themes linked to the strongly chosen
// values, taking turns between the values (first theme of the first value,
// first theme of the second, …), each theme once, at most maxQuestions.
func followUps(kb *knowledge.Base, strong []Option) []FollowUp {
	var values []*knowledge.Value
	for _, o := range strong {
		if !o.OnMap {
			continue
		}
		for _, m := range kb.Lookup(o.Label) {
			if m.Value != nil && optionKey(m.Value.Name) == o.Key {
				values = append(values, m.Value)
				break
			}
		}
	}
	var out []FollowUp
	used := map[*knowledge.Theme]bool{}
	for round := 0; len(out) < maxQuestions; round++ {
		added := false
		for _, v := range values {
			if round >= len(v.Themes) || len(out) == maxQuestions {
				continue
			}
			th := v.Themes[round]
			added = true
			if used[th] || len(th.Questions) == 0 {
				continue
			}
			used[th] = true
			out = append(out, FollowUp{Question: th.Questions[0], Theme: th.Name, Value: v.Name})
		}
		if !added {
			break
		}
	}
	return out
}
