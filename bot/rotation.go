package bot

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/waardenbot/waardenbot/knowledge"
)

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
		names := valueNames(c.Values)
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

// nextValue takes the next value of the schedule's rotation and moves the
// rotation on; a finished round starts the next. Names that are no longer
// in the knowledge base are passed over.
func (b *Bot) nextValue(sc *Schedule) *knowledge.Value {
	byName := map[string]*knowledge.Value{}
	for _, v := range b.kb.Values() {
		byName[v.Name] = v
	}
	t := &sc.Turn
	for range 2 * (len(t.Order) + len(byName) + 1) {
		if len(t.Order) == 0 || t.Pos >= len(t.Order) {
			last := ""
			if len(t.Order) > 0 {
				last = t.Order[len(t.Order)-1]
				t.Round++
			}
			t.Order, t.Pos = roundOrder(b.kb, sc.ID, t.Round, last), 0
		}
		name := t.Order[t.Pos]
		t.Pos++
		if v, ok := byName[name]; ok {
			return v
		}
	}
	return nil // an empty knowledge base; Load never returns one
}

// reflectionPrompt renders the next reflection prompt of a schedule and moves its
// rotation on: a value with one of its opinions, a question from a theme
// linked to it, and an open question for the team. The opinion and the
// question rotate with the round. note, if any, goes before the source.
func (b *Bot) reflectionPrompt(sc *Schedule, note string) Reply {
	v := b.nextValue(sc)
	var sb strings.Builder
	if v == nil {
		sb.WriteString(b.msg.T("prompt.empty"))
		return Reply{Text: b.cite(&sb), Thread: true}
	}
	round := sc.Turn.Round
	c := v.Cluster
	sb.WriteString(b.msg.T("prompt.title", v.Name, c.Name, c.Kind) + "\n")
	sb.WriteString(b.msg.T("cluster.line", c.Name, c.Description) + "\n\n")
	if len(v.Opinions) > 0 {
		sb.WriteString("> “" + v.Opinions[round%len(v.Opinions)] + "”\n\n")
	}
	type question struct {
		theme *knowledge.Theme
		text  string
	}
	var qs []question
	for _, t := range v.Themes {
		for _, q := range t.Questions {
			qs = append(qs, question{t, q})
		}
	}
	if len(qs) > 0 {
		q := qs[round%len(qs)]
		sb.WriteString(b.msg.T("prompt.question", q.theme.Name, q.theme.Card().Name, q.theme.Group.Name, b.msg.T("own")) + "\n")
		sb.WriteString(q.text + "\n\n")
	}
	sb.WriteString(b.msg.T("prompt.team") + "\n")
	sb.WriteString(b.msg.T("prompt.progress", sc.Turn.Pos, len(sc.Turn.Order), round+1))
	if note != "" {
		sb.WriteString("\n" + note)
	}
	return Reply{Text: b.cite(&sb), Thread: true}
}
