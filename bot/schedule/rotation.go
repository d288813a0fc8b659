package schedule

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"

	"github.com/waardenbot/waardenbot/knowledge"
)

// Rotation is a channel's place in the values of the Waardenkaart: the
// order of the current round and how many prompts the channel has had.
type Rotation struct {
	Round int      // rounds completed
	Order []string // value names of the current round
	Pos   int      // prompts given in the current round
}

// Next takes the next value of the rotation and moves the rotation on; a
// finished round starts the next, in an order drawn from seed (the
// schedule's ID) and the round. Names that are no longer in the knowledge
// base are passed over. It returns nil only for an empty knowledge base.
func (r *Rotation) Next(kb *knowledge.Base, seed string) *knowledge.Value {
	byName := map[string]*knowledge.Value{}
	for _, v := range kb.Values() {
		byName[v.Name] = v
	}
	for range 2 * (len(r.Order) + len(byName) + 1) {
		if len(r.Order) == 0 || r.Pos >= len(r.Order) {
			last := ""
			if len(r.Order) > 0 {
				last = r.Order[len(r.Order)-1]
				r.Round++
			}
			r.Order, r.Pos = roundOrder(kb, seed, r.Round, last), 0
		}
		name := r.Order[r.Pos]
		r.Pos++
		if v, ok := byName[name]; ok {
			return v
		}
	}
	return nil // an empty knowledge base; Load never returns one
}

// Current returns the value that the last Next gave: the value of the
// prompt a claim just took. It is nil before the first Next.
func (r Rotation) Current(kb *knowledge.Base) *knowledge.Value {
	if r.Pos < 1 || r.Pos > len(r.Order) {
		return nil
	}
	name := r.Order[r.Pos-1]
	for _, v := range kb.Values() {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Peek returns the value that Next would give, without moving the rotation.
func (r Rotation) Peek(kb *knowledge.Base, seed string) *knowledge.Value {
	return r.Next(kb, seed) // r is a copy; Next never writes into Order
}

// roundOrder returns the values of the Waardenkaart in the order a channel
// meets them in one round: every value once, clusters mixed so that no two
// values of one cluster follow each other when that can be avoided. The
// order is drawn from a seed made of the schedule ID and the round, so each
// channel and each round has its own. The round does not start in the
// cluster of avoid (the value that ended the previous round).
func roundOrder(kb *knowledge.Base, id string, round int, avoid string) []string {
	h := fnv.New64a()
	h.Write([]byte(id))
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(round)))

	type pile struct {
		names []string
		rank  int
	}
	var piles []*pile
	total := 0
	for i, c := range kb.Clusters {
		names := make([]string, len(c.Values))
		for j, v := range c.Values {
			names[j] = v.Name
		}
		rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		if len(names) > 0 {
			piles = append(piles, &pile{names: names, rank: i})
			total += len(names)
		}
	}
	ranks := rng.Perm(len(piles))
	for i, p := range piles {
		p.rank = ranks[i]
	}
	order := make([]string, 0, total)
	var prev *pile
	for _, p := range piles {
		if slices.Contains(p.names, avoid) {
			prev = p
		}
	}
	for len(order) < total {
		// The pile with the most values left goes first, so that the big
		// clusters do not bunch up at the end; ties by the drawn rank.
		slices.SortFunc(piles, func(a, b *pile) int {
			if c := cmp.Compare(len(b.names), len(a.names)); c != 0 {
				return c
			}
			return cmp.Compare(a.rank, b.rank)
		})
		pick := piles[0]
		if pick == prev && len(piles) > 1 && len(piles[1].names) > 0 {
			pick = piles[1]
		}
		order = append(order, pick.names[0])
		pick.names = pick.names[1:]
		prev = pick
		if len(pick.names) == 0 {
			piles = slices.DeleteFunc(piles, func(p *pile) bool { return len(p.names) == 0 })
			prev = nil
		}
	}
	return order
}
