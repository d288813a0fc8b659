package bot

import (
	"fmt"
	"strings"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// shiftParts is sh, the shift since the poll that p repeats, in parts:
// "Privacy 40% → 65%" per option, the clusters' shares, the tensions that
// appeared and disappeared; for a statement how eens, neutraal and oneens
// moved.
func (b *Bot) shiftParts(p poll.Poll, sh poll.Shift) *ShiftParts {
	sp := &ShiftParts{Title: b.msg.T("shift.title", sh.Before, sh.Voters[0], sh.Voters[1])}
	if sh.Voters[0] == 0 || sh.Voters[1] == 0 {
		sp.Empty = b.msg.T("shift.empty")
		return sp
	}
	for _, s := range sh.Options {
		sp.Options = append(sp.Options, "- **"+Escape(s.Name)+"** "+b.shareMove(s))
	}
	if p.Kind != poll.Values {
		return sp
	}
	var clusters []string
	for _, s := range sh.Clusters {
		if s.Before == 0 && s.After == 0 {
			continue
		}
		clusters = append(clusters, Escape(s.Name)+" "+b.shareMove(s))
	}
	if len(clusters) > 0 {
		sp.Clusters = b.msg.T("shift.clusters") + " " + strings.Join(clusters, " · ")
	}
	for _, x := range sh.Appeared {
		sp.Tensions = append(sp.Tensions, "- "+b.msg.T("shift.appeared", Escape(b.tensionText(x))))
	}
	for _, x := range sh.Disappeared {
		sp.Tensions = append(sp.Tensions, "- "+b.msg.T("shift.disappeared", Escape(b.tensionText(x))))
	}
	if len(sp.Tensions) == 0 {
		sp.NoTensionChange = b.msg.T("shift.same_tensions")
	}
	return sp
}

// shareMove is "40% → 65%", with "–" for a poll that lacks the option.
func (b *Bot) shareMove(s poll.Share) string {
	side := func(in bool, pct int) string {
		if !in {
			return "–"
		}
		return fmt.Sprintf("%d%%", pct)
	}
	return side(s.In[0], s.Before) + " → " + side(s.In[1], s.After)
}
