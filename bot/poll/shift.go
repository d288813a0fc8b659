package poll

import (
	"cmp"
	"slices"
)

// Shift is how views moved from a poll to its repeat (/casus opnieuw):
// per option and per cluster the share before and after, and which
// tensions appeared and disappeared. It is computed from the two tallies
// alone, so it says nothing about any one voter, also in anonymous polls.
//
// An option's share is the percentage of voters who chose it, rounded as
// the result rounds it (the same number /uitslag shows). A cluster's share
// is the percentage of all values chosen (on the Waardenkaart or not)
// that lie in the cluster: a voter may pick several values of one
// cluster, so a share of voters could pass 100%. A statement has options
// only. Shares are zero where a poll has no voters (see Voters).
type Shift struct {
	Before, After string // the two polls' IDs
	Voters        [2]int // voters before and after
	Options       []Share
	Clusters      []Share
	Appeared      []Tension // tensions of the repeat that the first poll did not show
	Disappeared   []Tension // tensions of the first poll that the repeat does not show
}

// Share is one option's or cluster's share before and after, in percent.
// An option that only one of the polls has (added with /optie) is
// marked by In.
type Share struct {
	Key    string  // the option's key; empty for a cluster
	Name   string  // the option's label or the cluster's name
	Before int     // percent
	After  int     // percent
	In     [2]bool // whether the first and the repeat have it
}

// Shift compares poll before (tally bt) with its repeat after (tally at).
func (s *Service) Shift(before Poll, bt Tally, after Poll, at Tally) Shift {
	sh := Shift{Before: before.ID, After: after.ID, Voters: [2]int{bt.Voters, at.Voters}}
	byKey := map[string]int{}
	add := func(o Option, side int, votes, voters int) {
		i, ok := byKey[o.Key]
		if !ok {
			i = len(sh.Options)
			byKey[o.Key] = i
			sh.Options = append(sh.Options, Share{Key: o.Key, Name: o.Label})
		}
		sh.Options[i].In[side] = true
		if side == 0 {
			sh.Options[i].Before = share(votes, voters)
		} else {
			sh.Options[i].After = share(votes, voters)
		}
	}
	for _, o := range after.Options {
		add(o, 1, at.Votes[o.Key], at.Voters)
	}
	for _, o := range before.Options {
		add(o, 0, bt.Votes[o.Key], bt.Voters)
	}
	slices.SortStableFunc(sh.Options, func(a, b Share) int { return cmp.Compare(b.After, a.After) })
	if after.Kind != Values {
		return sh
	}
	sh.Clusters = clusterShifts(before, bt, after, at)
	rb, ra := result(s.kb, before, bt), result(s.kb, after, at)
	sh.Appeared = missing(ra.Tensions, rb.Tensions)
	sh.Disappeared = missing(rb.Tensions, ra.Tensions)
	return sh
}

// share is n of total in percent, rounded as the result rounds; 0
// without a total.
func share(n, total int) int {
	if total <= 0 {
		return 0
	}
	return (100*n + total/2) / total
}

// clusterShifts are the clusters' shares of all values chosen, before and
// after, largest after first.
func clusterShifts(before Poll, bt Tally, after Poll, at Tally) []Share {
	var out []Share
	index := map[string]int{}
	count := func(p Poll, t Tally, side int) {
		total := 0
		for _, o := range p.Options {
			total += t.Votes[o.Key]
		}
		votes := map[string]int{}
		for _, o := range p.Options {
			if !o.OnMap || o.Cluster == "" {
				continue
			}
			votes[o.Cluster] += t.Votes[o.Key]
			if _, ok := index[o.Cluster]; !ok {
				index[o.Cluster] = len(out)
				out = append(out, Share{Name: o.Cluster})
			}
		}
		for name, n := range votes {
			c := &out[index[name]]
			c.In[side] = true
			if side == 0 {
				c.Before = share(n, total)
			} else {
				c.After = share(n, total)
			}
		}
	}
	count(after, at, 1)
	count(before, bt, 0)
	slices.SortStableFunc(out, func(a, b Share) int { return cmp.Compare(b.After, a.After) })
	return out
}

// missing are the tensions of a that b does not have (as a pair of
// option keys, in either order).
func missing(a, b []Tension) []Tension {
	var out []Tension
	for _, x := range a {
		if !slices.ContainsFunc(b, func(y Tension) bool {
			return x.A.Key == y.A.Key && x.B.Key == y.B.Key || x.A.Key == y.B.Key && x.B.Key == y.A.Key
		}) {
			out = append(out, x)
		}
	}
	return out
}
