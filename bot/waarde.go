package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/knowledge"
)

// waarde answers /waarde: the overview of the map, a value card, a cluster,
// a related term, or what a free-text search finds in the opinions.
func (b *Bot) waarde(_ context.Context, req Request) Reply {
	q := req.Args
	if q == "" {
		return Reply{Text: b.overview()}
	}
	ms := b.kb.Lookup(q)
	if len(ms) == 0 {
		return b.searchAnswer(q, true)
	}
	var sb strings.Builder
	b.matchNote(&sb, q, ms[0])
	m := ms[0]
	switch {
	case m.Value != nil:
		b.valueCard(&sb, m.Value)
	case m.Cluster != nil:
		b.clusterCard(&sb, m.Cluster)
	case m.Related != nil:
		b.relatedCard(&sb, m.Related)
	case m.Theme != nil:
		t := m.Theme
		sb.WriteString(b.msg.T("theme.is", t.Name, t.Card().Name, t.Group.Name))
		if len(t.Values) > 0 {
			sb.WriteString("\n" + b.msg.T("theme.values", b.msg.T("own"), joinBold(valueNames(t.Values))))
		}
		sb.WriteString("\n" + b.msg.T("theme.tip", strings.ToLower(t.Name)))
	case m.Group != nil:
		sb.WriteString(b.msg.T("group.is", m.Group.Name, m.Group.Card.Name, m.Group.Name))
	case m.Card != nil:
		sb.WriteString(b.msg.T("card.is", m.Card.Name, Fold(m.Card.Name)))
	}
	b.alsoNote(&sb, q, ms[1:])
	return Reply{Text: b.cite(&sb)}
}

// Fold is knowledge.Fold, for the few places where bot builds a query.
func Fold(s string) string { return knowledge.Fold(s) }

// matchNote says how the query led to the match: a corrected typo or a
// synonym.
func (b *Bot) matchNote(sb *strings.Builder, q string, m knowledge.Match) {
	switch {
	case m.Corrected:
		sb.WriteString(b.msg.T("corrected", m.Name, Quote(q, 60)) + "\n\n")
	case m.Via != "" && knowledge.Fold(m.Via) != knowledge.Fold(m.Name):
		sb.WriteString(b.msg.T("via", Quote(q, 60), m.Name) + " _(" + b.msg.T("own") + ")_\n\n")
	}
}

// alsoNote mentions the other things a name means (aanbieders: two themes).
func (b *Bot) alsoNote(sb *strings.Builder, q string, others []knowledge.Match) {
	if len(others) == 0 {
		return
	}
	var names []string
	for _, o := range others {
		names = append(names, o.Name)
	}
	sb.WriteString("\n\n" + b.msg.T("also", Quote(q, 60), joinBold(names)))
}

func (b *Bot) valueCard(sb *strings.Builder, v *knowledge.Value) {
	c := v.Cluster
	sb.WriteString(b.msg.T("value.title", v.Name, c.Name, c.Kind) + "\n")
	sb.WriteString(b.msg.T("cluster.line", c.Name, c.Description) + "\n\n")
	if v.Origin != knowledge.FromBook {
		sb.WriteString(b.msg.T("value.origin", string(v.Origin)) + "\n\n")
	}
	sb.WriteString(b.msg.T("opinions") + "\n")
	for _, op := range v.Opinions {
		sb.WriteString("> “" + op + "”\n")
	}
	if len(v.Themes) > 0 {
		sb.WriteString("\n" + b.msg.T("value.themes", b.msg.T("own"), joinBold(themeNames(v.Themes))))
		sb.WriteString("\n" + b.msg.T("theme.tip", strings.ToLower(v.Themes[0].Name)))
	}
}

func (b *Bot) clusterCard(sb *strings.Builder, c *knowledge.Cluster) {
	sb.WriteString(b.msg.T("cluster.title", c.Name, c.Kind, len(c.Values)) + "\n")
	sb.WriteString(b.msg.T("cluster.line", c.Name, c.Description) + "\n\n")
	for _, v := range c.Values {
		sb.WriteString(b.msg.T("cluster.value", v.Name, Truncate(v.Opinions[0], 100)) + "\n")
	}
}

func (b *Bot) relatedCard(sb *strings.Builder, r *knowledge.Related) {
	sb.WriteString(b.msg.T("related.title", strings.ToUpper(r.Term[:1])+r.Term[1:]) + "\n")
	var near []string
	for _, v := range r.Values {
		near = append(near, fmt.Sprintf("**%s** (%s)", v.Name, v.Cluster.Name))
	}
	sb.WriteString(b.msg.T("related.nearest", b.msg.T("own"), strings.Join(near, ", ")))
	if r.Source != "" {
		sb.WriteString(" " + b.msg.T("related.source", r.Source))
	}
	v := r.Values[0]
	sb.WriteString("\n\n> “" + v.Opinions[0] + "”\n> — " + v.Name + "\n\n")
	sb.WriteString(b.msg.T("related.tip", strings.ToLower(v.Name)))
}

// overview lists the nine clusters, by kind, with their values.
func (b *Bot) overview() string {
	var sb strings.Builder
	sb.WriteString(b.msg.T("overview", b.msg.T("n.clusters", len(b.kb.Clusters)), b.msg.T("n.values", len(b.kb.Values()))) + "\n")
	kind := ""
	for _, c := range b.kb.Clusters {
		if c.Kind != kind {
			kind = c.Kind
			sb.WriteString("\n_" + b.msg.T("kind."+kind) + "_\n")
		}
		fmt.Fprintf(&sb, "- **%s** (%s): %s\n", c.Name, strings.TrimSuffix(c.Description, "."), strings.Join(valueNames(c.Values), ", "))
	}
	sb.WriteString("\n" + b.msg.T("overview.tip"))
	return b.cite(&sb)
}

// searchAnswer searches the opinions (for /waarde) or the questions (for
// /vragen) first, then the other, and says what it found and where. With
// nothing found it suggests the closest names.
func (b *Bot) searchAnswer(q string, opinionsFirst bool) Reply {
	hits := b.kb.Search(q, 40)
	var ops, qs []knowledge.Hit
	for _, h := range hits {
		if h.Value != nil {
			ops = append(ops, h)
		} else {
			qs = append(qs, h)
		}
	}
	ops, qs = ops[:min(5, len(ops))], qs[:min(5, len(qs))]
	if len(ops)+len(qs) == 0 {
		return b.notFound(q)
	}
	var sb strings.Builder
	writeOps := func() {
		if len(ops) == 0 {
			return
		}
		sb.WriteString(b.msg.T("found.opinions", Quote(q, 60)) + "\n")
		for _, h := range ops {
			sb.WriteString(b.msg.T("hit.opinion", h.Text, h.Value.Name, h.Value.Cluster.Name) + "\n\n")
		}
	}
	writeQs := func() {
		if len(qs) == 0 {
			return
		}
		sb.WriteString(b.msg.T("found.quest", Quote(q, 60)) + "\n")
		for _, h := range qs {
			sb.WriteString(b.msg.T("hit.question", h.Text, h.Theme.Name, h.Theme.Card().Name, h.Theme.Group.Name) + "\n")
		}
		sb.WriteString("\n")
	}
	if opinionsFirst {
		writeOps()
		writeQs()
	} else {
		writeQs()
		writeOps()
	}
	text := strings.TrimRight(sb.String(), "\n")
	sb.Reset()
	sb.WriteString(text)
	return Reply{Text: b.cite(&sb)}
}

func (b *Bot) notFound(q string) Reply {
	var sb strings.Builder
	sb.WriteString(b.msg.T("notfound", Quote(q, 60)))
	if s := b.kb.Suggest(q, 3); len(s) > 0 {
		sb.WriteString(" " + b.msg.T("suggest", joinBold(s)))
	}
	sb.WriteString("\n" + b.msg.T("notfound.tip"))
	return Reply{Text: sb.String(), Ephemeral: true, Status: NotFound}
}

func valueNames(vs []*knowledge.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name
	}
	return out
}

func themeNames(ts []*knowledge.Theme) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}
