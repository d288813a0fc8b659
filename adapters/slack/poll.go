package slack

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// Action IDs of the poll buttons. A vote button's value is "POLLID KEY",
// the close and add buttons' value the poll ID.
const (
	actionVote  = "vote"
	actionClose = "close"
	actionAdd   = "add" // opens the form that adds a value (aanvullen)
)

// maxButtonText is Slack's limit for a button's text.
const maxButtonText = 75

// maxButtonsPerBlock is how many elements Slack allows in one actions
// block.
const maxButtonsPerBlock = 25

// withPoll is a reply's message plus, for a poll that is open and shown to
// the channel, one button per option with its count and a close button,
// in the words of the poll's parts.
func (a *Adapter) withPoll(r bot.Reply) message {
	m := render(r)
	v := r.Poll
	if v == nil || v.Closed || r.Ephemeral {
		return m
	}
	parts := v.Parts()
	var buttons []slack.BlockElement
	for i, o := range v.Options {
		btn := slack.NewButtonBlockElement(fmt.Sprintf("%s-%s", actionVote, o.Key), v.ID+" "+o.Key,
			slack.NewTextBlockObject(slack.PlainTextType, truncate(parts.Options[i].Button, maxButtonText), true, false))
		buttons = append(buttons, btn)
	}
	for i := 0; i < len(buttons); i += maxButtonsPerBlock {
		end := min(i+maxButtonsPerBlock, len(buttons))
		m.Blocks = append(m.Blocks, slack.NewActionBlock(fmt.Sprintf("poll-%s-%d", v.ID, i/maxButtonsPerBlock), buttons[i:end]...))
	}
	c := parts.Close
	closeBtn := slack.NewButtonBlockElement(actionClose, v.ID,
		slack.NewTextBlockObject(slack.PlainTextType, c.Button, false, false)).WithStyle(slack.StyleDanger)
	closeBtn.Confirm = slack.NewConfirmationBlockObject(
		slack.NewTextBlockObject(slack.PlainTextType, c.Title, false, false),
		slack.NewTextBlockObject(slack.PlainTextType, c.Text, false, false),
		slack.NewTextBlockObject(slack.PlainTextType, c.Confirm, false, false),
		slack.NewTextBlockObject(slack.PlainTextType, c.Cancel, false, false),
	)
	row := []slack.BlockElement{closeBtn}
	if parts.Add.Button != "" {
		row = append([]slack.BlockElement{slack.NewButtonBlockElement(actionAdd, v.ID,
			slack.NewTextBlockObject(slack.PlainTextType, parts.Add.Button, false, false))}, row...)
	}
	m.Blocks = append(m.Blocks, slack.NewActionBlock("poll-"+v.ID+"-close", row...))
	return m
}

// onInteraction handles a click on a poll button: it toggles the user's
// choice (or closes the poll), tells only that user when the click is
// refused, and redraws the clicked message in place when the poll changed
// (the bot's Reply.ChangesPoll: a refusal costs no chat.update, a click on
// a closed poll's leftover button does, to take the buttons away).
func (a *Adapter) onInteraction(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	channel, ts := cb.Container.ChannelID, cb.Container.MessageTs
	if channel == "" {
		channel = cb.Channel.ID
	}
	req := a.request(clickTeam(cb), channel, cb.User.ID, cb.User.Name)
	for _, act := range cb.ActionCallback.BlockActions {
		var reply bot.Reply
		var pollID string
		switch {
		case strings.HasPrefix(act.ActionID, actionVote+"-"):
			var key string
			pollID, key, _ = strings.Cut(act.Value, " ")
			reply = a.bot.Toggle(ctx, req, pollID, key)
		case act.ActionID == actionClose:
			pollID = act.Value
			reply = a.bot.Close(ctx, req, pollID)
		case act.ActionID == actionAdd:
			a.openOptionForm(ctx, cb, req, act.Value)
			continue
		default:
			continue
		}
		if reply.Status != bot.Answered {
			if err := a.send(ctx, channel, cb.User.ID, "", bot.Reply{Text: reply.Text, Ephemeral: true}); err != nil {
				a.log.Error("refusal of a click not delivered", "error", err, "fix", fixPost)
			}
		}
		// A close's result shows in the redrawn message; its chart goes
		// to the channel.
		a.shareFilesLater(ctx, channel, "", cb.User.ID, reply)
		if ts == "" {
			continue
		}
		a.bot.PollClicked(ctx, reply, channel, ts)
		if reply.ChangesPoll() { // a refusal leaves the message as it is, unless the poll has closed
			a.updates.schedule(pollID, channel, ts)
		}
	}
}

// openOptionForm opens the form that adds a value to poll pollID, with
// the click's trigger_id; when Slack does not open it, the clicker is
// told how to type /optie instead.
func (a *Adapter) openOptionForm(ctx context.Context, cb slack.InteractionCallback, req bot.Request, pollID string) {
	err := a.openForm(ctx, cb.TriggerID, req.Team, req.Channel, a.bot.OptionForm(pollID))
	if err == nil {
		return
	}
	a.log.Warn("add-a-value form not opened", "poll", pollID, "error", err)
	if err := a.send(ctx, req.Channel, req.User, "", bot.Reply{Text: a.bot.T("button.add.typed", pollID), Ephemeral: true}); err != nil {
		a.log.Error("hint to type /optie not delivered", "error", err, "fix", "check that the bot is in the channel and Slack answers; the lines before this one say more")
	}
}

// clickTeam is the workspace a click comes from, taken as Slack's Bolt
// frameworks take it: the payload's team, or, in an org-wide (Enterprise
// Grid) installation, where team is null, the clicking user's team_id.
// Slash commands carry the workspace as team_id and events as their outer
// team_id in both kinds of installation (an org-wide event's authorization
// names the organisation and no team), so the three agree on the team a
// poll belongs to.
func clickTeam(cb slack.InteractionCallback) string {
	if cb.Team.ID != "" {
		return cb.Team.ID
	}
	return cb.User.TeamID
}

// updater redraws poll messages with chat.update, at most once per delay
// for each message: clicks in the same moment become one update, which
// keeps the bot within Slack's rate limit for chat.update.
type updater struct {
	a     *Adapter
	delay time.Duration

	mu      sync.Mutex
	pending map[string]bool // channel + ts
}

func (u *updater) schedule(pollID, channel, ts string) {
	key := channel + "/" + ts
	u.mu.Lock()
	if u.pending[key] {
		u.mu.Unlock()
		return
	}
	u.pending[key] = true
	u.mu.Unlock()
	u.a.work.Add(1)
	time.AfterFunc(u.delay, func() {
		defer u.a.work.Done()
		u.mu.Lock()
		delete(u.pending, key)
		u.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := u.a.redraw(ctx, pollID, channel, ts); err != nil {
			u.a.log.Error("poll message not updated", "poll", pollID, "error", err, "fix", fixPost+"; the next click redraws it")
		}
	})
}

// redraw replaces a poll message with the poll as it is now.
func (a *Adapter) redraw(ctx context.Context, pollID, channel, ts string) error {
	return a.bot.Redraw(ctx, pollID, func(ctx context.Context, r bot.Reply) error {
		m := a.withPoll(r)
		_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts,
			slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		return err
	})
}
