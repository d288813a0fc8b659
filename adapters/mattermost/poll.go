package mattermost

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// A poll post has a message that never changes (the title and the casus or
// statement) and one message attachment that shows the poll as it is now:
// the options, and a button per option with its count, or once closed the
// result without buttons. Once an admin's post edit time limit has passed,
// Mattermost refuses an edit that carries a message (6.7: a changed one;
// 9.0 and later: any), but not one that carries only props; so the live
// counts live in the attachment, and a redraw patches the props alone.

// Action IDs. Mattermost before 7.x returns 404 for a click on an action
// whose ID has other characters than letters and digits.
const (
	actionClose      = "close"
	actionVotePrefix = "v" // "v0", "v1", … by option position
)

// maxButtonName is how many runes of an option's label a button shows;
// Mattermost cuts long button text off without an ellipsis.
const maxButtonName = 60

// pollColor is the bar beside an open poll's attachment; a closed poll has
// the neutral grey.
const (
	pollColor   = "#1c58d9"
	closedColor = "#8a8d91"
)

// pollMessage is the fixed message of a poll post: the title and the casus
// or statement, as the poll text starts.
func (a *Adapter) pollMessage(v *bot.PollView) string {
	title := "poll.title." + string(v.Kind)
	var head string
	if v.Creator == "" {
		head = a.bot.T(title, v.ID)
	} else {
		head = a.bot.T(title+".by", v.ID, bot.Quote(v.Creator, 60))
	}
	return bot.Truncate(render(head+"\n> "+bot.Escape(v.Question)), a.maxRunes)
}

// pollPost is the poll post for r, a reply whose Poll is set and whose Text
// is the poll message as PollMessage returns it. team and channel are where
// the poll lives; they and key go into each button's signed context.
func (a *Adapter) pollPost(r bot.Reply, team, channel string, key []byte) *model.Post {
	v := r.Poll
	att := &model.MessageAttachment{Fallback: bot.Truncate(render(v.Prompt), 200), Color: pollColor}
	if v.Closed {
		att.Color = closedColor
		att.Text = bot.Truncate(render(a.resultText(r)), a.maxRunes)
	} else {
		att.Text = bot.Truncate(render(a.openText(v)), a.maxRunes)
		att.Actions = a.buttons(v, team, channel, key)
	}
	props := model.StringInterface{
		model.PostPropsAttachments: []*model.MessageAttachment{att},
		model.PostPropsFromBot:     "true",
	}
	return &model.Post{ChannelId: channel, Message: a.pollMessage(v), Props: props}
}

// resultText is the result part of a closed poll's message: the message
// itself already shows the casus, and the poll part above the result
// repeats the counts. Should the text not have the expected shape, all of
// it is shown.
func (a *Adapter) resultText(r bot.Reply) string {
	title := a.bot.T("result.title", r.Poll.ID, a.bot.T("result.final"))
	if i := strings.Index(r.Text, title); i >= 0 {
		return r.Text[i:]
	}
	return r.Text
}

// openText is the attachment text of an open poll: the question to the
// voters, the options with their clusters, how many voted, and how to vote
// by typing.
func (a *Adapter) openText(v *bot.PollView) string {
	var sb strings.Builder
	sb.WriteString("**" + v.Prompt + "**")
	if v.Kind == bot.ValuePoll {
		sb.WriteString(" " + a.bot.T("poll.max", v.Max))
		sb.WriteString("\n")
		for _, o := range v.Options {
			cluster := bot.Escape(o.Cluster)
			if !o.OnMap {
				cluster = "_" + a.bot.T("poll.offmap") + "_"
			}
			fmt.Fprintf(&sb, "\n- **%s** · %s", bot.Escape(o.Label), cluster)
		}
	}
	if v.Proposed {
		sb.WriteString("\n_" + a.bot.T("poll.proposed") + "_")
	}
	sb.WriteString("\n\n" + a.bot.T("poll.voters", v.Voters))
	if v.Hidden {
		sb.WriteString(" " + a.bot.T("poll.hidden"))
	}
	sb.WriteString("\n" + a.bot.T("poll.howto", v.ID, v.Options[0].Key))
	if v.Anonymous {
		sb.WriteString("\n" + a.bot.T("poll.anon"))
	}
	if !v.ClosesAt.IsZero() {
		sb.WriteString("\n" + a.bot.T("poll.closes", v.ClosesAt.Format("2006-01-02 15:04")))
	}
	return sb.String()
}

// buttons are one button per option, with its count unless the poll hides
// the counts, and a close button. Each carries a signed context.
func (a *Adapter) buttons(v *bot.PollView, team, channel string, key []byte) []*model.PostAction {
	url := a.actionURL()
	var out []*model.PostAction
	for i, o := range v.Options {
		name := bot.Truncate(o.Label, maxButtonName)
		if !v.Hidden {
			name = fmt.Sprintf("%s · %d", name, o.Votes)
		}
		c := click{Op: opVote, Poll: v.ID, Option: o.Key, Team: team, Channel: channel}
		out = append(out, &model.PostAction{
			Id: fmt.Sprintf("%s%d", actionVotePrefix, i), Type: model.PostActionTypeButton, Name: bot.Neutralize(name),
			Integration: &model.PostActionIntegration{URL: url, Context: c.context(key)},
		})
	}
	c := click{Op: opClose, Poll: v.ID, Team: team, Channel: channel}
	out = append(out, &model.PostAction{
		Id: actionClose, Type: model.PostActionTypeButton, Name: a.bot.T("button.close"), Style: "danger",
		Integration: &model.PostActionIntegration{URL: url, Context: c.context(key)},
	})
	return out
}
