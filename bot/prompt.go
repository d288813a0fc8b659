package bot

import (
	"strings"

	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/knowledge"
)

// reflectionPrompt renders the reflection prompt of a schedule whose claim
// took a value from its rotation: the value with one of its opinions, a
// question from a theme linked to it, and an open question for the team.
// The opinion and the question rotate with the round. note, if any, goes
// before the source.
func (b *Bot) reflectionPrompt(sc schedule.Schedule, note string) Reply {
	v := sc.Turn.Current(b.kb)
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
