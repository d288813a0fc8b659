package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/knowledge"
)

// vragen answers /vragen: both cards' structure, a card, a group with its
// themes, a theme with its questions, or what a free-text search finds in
// the questions.
func (b *Bot) vragen(_ context.Context, req Request) Reply {
	q := req.Args
	if q == "" {
		return Reply{Text: b.cards()}
	}
	ms := b.kb.Lookup(q)
	if len(ms) == 0 {
		return b.searchAnswer(q, false)
	}
	// For /vragen a theme, group or card is what the user wants most, even
	// when a value has the same name.
	m := ms[0]
	for _, c := range ms {
		if c.Theme != nil || c.Group != nil || c.Card != nil {
			m = c
			break
		}
	}
	var sb strings.Builder
	b.matchNote(&sb, q, m)
	switch {
	case m.Theme != nil:
		for i, t := range themesOf(ms) {
			if i > 0 {
				sb.WriteString("\n\n")
			}
			b.themeCard(&sb, t)
		}
		return Reply{Text: b.cite(&sb)}
	case m.Group != nil:
		g := m.Group
		sb.WriteString(b.msg.T("group.title", g.Name, g.Card.Name, len(g.Themes)) + "\n")
		for _, t := range g.Themes {
			sb.WriteString("\n**" + t.Name + "**\n")
			for _, q := range t.Questions {
				sb.WriteString("- " + q + "\n")
			}
		}
	case m.Card != nil:
		b.cardOutline(&sb, m.Card)
	case m.Value != nil:
		v := m.Value
		sb.WriteString(b.msg.T("value.quest", v.Name, v.Cluster.Name, b.msg.T("own")) + "\n")
		for _, t := range v.Themes {
			sb.WriteString("\n**" + t.Name + "** _(" + t.Card().Name + " › " + t.Group.Name + ")_\n")
			for _, q := range t.Questions {
				sb.WriteString("- " + q + "\n")
			}
		}
	case m.Cluster != nil:
		sb.WriteString(b.msg.T("cluster.is", m.Cluster.Name, Fold(m.Cluster.Name)))
	case m.Related != nil:
		r := m.Related
		var near []string
		for _, v := range r.Values {
			near = append(near, fmt.Sprintf("`/vragen %s`", Fold(v.Name)))
		}
		sb.WriteString(b.msg.T("related.quest", r.Term, b.msg.T("own"), strings.Join(near, ", ")))
	}
	return Reply{Text: b.cite(&sb)}
}

// themesOf returns the themes among the matches ("aanbieders" names two).
func themesOf(ms []knowledge.Match) []*knowledge.Theme {
	var out []*knowledge.Theme
	for _, m := range ms {
		if m.Theme != nil {
			out = append(out, m.Theme)
		}
	}
	return out
}

func (b *Bot) themeCard(sb *strings.Builder, t *knowledge.Theme) {
	sb.WriteString(b.msg.T("theme.title", t.Name, t.Card().Name, t.Group.Name) + "\n")
	for i, q := range t.Questions {
		fmt.Fprintf(sb, "%d. %s\n", i+1, q)
	}
	if len(t.Values) > 0 {
		sb.WriteString("\n" + b.msg.T("theme.values", b.msg.T("own"), joinBold(valueNames(t.Values))))
	}
}

func (b *Bot) cardOutline(sb *strings.Builder, c *knowledge.Card) {
	themes, questions := 0, 0
	for _, g := range c.Groups {
		themes += len(g.Themes)
		for _, t := range g.Themes {
			questions += len(t.Questions)
		}
	}
	sb.WriteString(b.msg.T("card.title", c.Name, b.msg.T("n.groups", len(c.Groups)), b.msg.T("n.themes", themes), b.msg.T("n.questions", questions)) + "\n")
	for _, g := range c.Groups {
		var ts []string
		for _, t := range g.Themes {
			ts = append(ts, fmt.Sprintf("%s (%s)", t.Name, b.msg.T("n.questions", len(t.Questions))))
		}
		fmt.Fprintf(sb, "- _%s_: %s\n", g.Name, strings.Join(ts, ", "))
	}
}

// cards outlines both question cards.
func (b *Bot) cards() string {
	var sb strings.Builder
	sb.WriteString(b.msg.T("cards.title") + "\n\n")
	for _, c := range b.kb.Cards {
		b.cardOutline(&sb, c)
		sb.WriteString("\n")
	}
	sb.WriteString(b.msg.T("cards.tip"))
	return b.cite(&sb)
}
