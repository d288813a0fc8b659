package mattermost

import (
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
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
	actionAdd        = "add" // opens the dialog that adds a value (aanvullen)
	actionVotePrefix = "v"   // "v0", "v1", … by option position
)

// maxButtonName is how many runes of an option's button text (its label
// and count) a button shows; Mattermost cuts long button text off without
// an ellipsis.
const maxButtonName = 60

// pollColor is the bar beside an open poll's attachment; a closed poll has
// the neutral grey.
const (
	pollColor   = "#1c58d9"
	closedColor = "#8a8d91"
)

// pollMessage is the fixed message of a poll post: the title and the casus
// or statement, as the poll text starts.
func (a *Adapter) pollMessage(parts *bot.PollParts) string {
	return bot.Truncate(render(parts.Title+"\n> "+parts.Question), a.maxRunes)
}

// pollPost is the poll post for r, a reply whose Poll is set. team and
// channel are where the poll lives; they and key go into each button's
// signed context.
func (a *Adapter) pollPost(r bot.Reply, team, channel string, key []byte) *post {
	v := r.Poll
	parts := v.Parts()
	att := &attachment{Fallback: bot.Truncate(render(v.Prompt), 200), Color: pollColor}
	if v.Closed {
		// The message above already shows the casus, and the result
		// repeats the counts: the attachment is the result alone.
		att.Color = closedColor
		att.Text = bot.Truncate(render(parts.Result.Markdown()), a.maxRunes)
	} else {
		att.Text = bot.Truncate(render(openText(v, parts)), a.maxRunes)
		att.Actions = a.buttons(v, parts, team, channel, key)
	}
	props := map[string]any{
		model.PostPropsAttachments: []*attachment{att},
		model.PostPropsFromBot:     "true",
	}
	return &post{ChannelId: channel, Message: a.pollMessage(parts), Props: props}
}

// openText is the attachment text of an open poll: the question to the
// voters, the values with their clusters (the buttons show the options and
// counts), how many voted, and how to vote by typing.
func openText(v *bot.PollView, parts *bot.PollParts) string {
	var sb strings.Builder
	sb.WriteString(parts.Prompt)
	if v.Kind == poll.Values {
		sb.WriteString("\n")
		for _, o := range parts.Options {
			sb.WriteString("\n- **" + o.Label + "** · " + o.Cluster)
			if o.AddedBy != "" {
				sb.WriteString(" · " + o.AddedBy)
			}
		}
	}
	if parts.Proposed != "" {
		sb.WriteString("\n" + parts.Proposed)
	}
	sb.WriteString("\n\n" + parts.Voters)
	for _, s := range []string{parts.Participation, parts.Hidden} {
		if s != "" {
			sb.WriteString(" " + s)
		}
	}
	for _, s := range []string{parts.HowToOne, parts.Open, parts.Anonymous, parts.Closes, parts.Remind, parts.Link} {
		if s != "" {
			sb.WriteString("\n" + s)
		}
	}
	return sb.String()
}

// buttons are one button per option, with its count unless the poll hides
// the counts, and a close button. Each carries a signed context.
func (a *Adapter) buttons(v *bot.PollView, parts *bot.PollParts, team, channel string, key []byte) []*postAction {
	url := a.actionURL()
	var out []*postAction
	for i, o := range v.Options {
		c := click{Op: opVote, Poll: v.ID, Option: o.Key, Team: team, Channel: channel}
		out = append(out, &postAction{
			Id: fmt.Sprintf("%s%d", actionVotePrefix, i), Type: model.PostActionTypeButton,
			Name:        bot.Truncate(parts.Options[i].Button, maxButtonName),
			Integration: &integration{URL: url, Context: c.context(key)},
		})
	}
	if parts.Add.Button != "" {
		c := click{Op: opAdd, Poll: v.ID, Team: team, Channel: channel}
		out = append(out, &postAction{
			Id: actionAdd, Type: model.PostActionTypeButton, Name: parts.Add.Button,
			Integration: &integration{URL: url, Context: c.context(key)},
		})
	}
	c := click{Op: opClose, Poll: v.ID, Team: team, Channel: channel}
	out = append(out, &postAction{
		Id: actionClose, Type: model.PostActionTypeButton, Name: parts.Close.Button, Style: "danger",
		Integration: &integration{URL: url, Context: c.context(key)},
	})
	return out
}
