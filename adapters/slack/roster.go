package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// The adapter is the bot's Roster for Slack: how many people are in a
// channel (participation), who they are and how to reach one privately
// (reminders).
var _ bot.Roster = (*Adapter)(nil)

// MemberCount is the channel's num_members from one conversations.info
// call with include_num_members (scope channels:read, or groups:read for
// a private channel), minus the bot itself when it is a member. Slack
// counts every member, bot users included, and tells no app which
// members are bots without a call per member: other apps' bot users in
// the channel are counted. Without the scope the count is not known
// (bot.ErrNoRoster) and the poll leaves the line out.
func (a *Adapter) MemberCount(ctx context.Context, ch bot.Destination) (int, error) {
	info, err := a.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: ch.Channel, IncludeNumMembers: true})
	if err != nil {
		return 0, a.rosterErr("conversations.info", err)
	}
	n := info.NumMembers
	if info.IsMember && n > 0 {
		n--
	}
	return n, nil
}

// membersPage is how many member IDs one conversations.members call asks
// for: Slack's maximum.
const membersPage = 1000

// Members lists the channel's members with conversations.members, a page
// of up to 1,000 IDs per call, without the bot itself. Other bot users
// are in the list (Slack says who is a bot only per user); PostPrivate
// skips them.
func (a *Adapter) Members(ctx context.Context, ch bot.Destination) ([]string, error) {
	self := a.botUser()
	var out []string
	cursor := ""
	for {
		ids, next, err := a.api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: ch.Channel, Cursor: cursor, Limit: membersPage})
		if err != nil {
			return nil, a.rosterErr("conversations.members", err)
		}
		for _, id := range ids {
			if id != self {
				out = append(out, id)
			}
		}
		if next == "" {
			return out, nil
		}
		cursor = next
	}
}

// PostPrivate shows r to user alone: chat.postEphemeral in the channel,
// which Slack shows only to a member of it (in a client that is open),
// else a direct message (conversations.open, scope im:write). A bot user
// or a deactivated account gets nothing (bot.ErrNotAPerson), asked once
// an hour per user with users.info. A 429 that slack-go's own retries did
// not get past comes back as a *bot.RateLimited.
func (a *Adapter) PostPrivate(ctx context.Context, ch bot.Destination, user string, r bot.Reply) error {
	if user == a.botUser() {
		return bot.ErrNotAPerson
	}
	if human, err := a.people.human(ctx, user); err != nil {
		return a.rosterErr("users.info", err)
	} else if !human {
		return bot.ErrNotAPerson
	}
	r.Ephemeral = false // rendered as a message of its own, wherever it goes
	opts := a.messageOptions("", r)
	_, err := a.api.PostEphemeralContext(ctx, ch.Channel, user, opts...)
	var refused slack.SlackErrorResponse
	if !errors.As(err, &refused) {
		return a.rosterErr("chat.postEphemeral", err)
	}
	// not_in_channel, user_not_in_channel, channel_not_found, …: the
	// message goes to the person directly.
	dm, _, _, err := a.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return a.rosterErr("conversations.open", err)
	}
	_, err = a.postMessage(ctx, dm.ID, "", r)
	return a.rosterErr("chat.postMessage", err)
}

// rosterErr names the Web API method of err, and turns a rate limit into
// the bot's *RateLimited and a missing scope into bot.ErrNoRoster.
func (a *Adapter) rosterErr(method string, err error) error {
	var limited *slack.RateLimitedError
	var refused slack.SlackErrorResponse
	switch {
	case err == nil:
		return nil
	case errors.As(err, &limited):
		return &bot.RateLimited{Wait: limited.RetryAfter, Err: fmt.Errorf("%s: %w", method, err)}
	case errors.As(err, &refused) && refused.Err == "missing_scope":
		return fmt.Errorf("%s: %w (the app lacks the scope %s; reinstall it from the manifest)", method, bot.ErrNoRoster, refused.Needed)
	}
	return fmt.Errorf("%s: %w", method, err)
}

// people remembers which users are people and which are bots or
// deactivated, asked of Slack with users.info.
type people struct {
	ask func(ctx context.Context, user string) (*slack.User, error)

	mu   sync.Mutex
	seen map[string]personAnswer
}

type personAnswer struct {
	human bool
	at    time.Time
}

// How long an answer about a user is kept, and how many at most.
const (
	personTTL  = time.Hour
	maxPersons = 50000
)

// human reports whether user is a person with an active account.
func (p *people) human(ctx context.Context, user string) (bool, error) {
	now := time.Now()
	p.mu.Lock()
	got, ok := p.seen[user]
	p.mu.Unlock()
	if ok && now.Sub(got.at) < personTTL {
		return got.human, nil
	}
	u, err := p.ask(ctx, user)
	if err != nil {
		return false, err
	}
	human := !u.IsBot && !u.Deleted && u.ID != "USLACKBOT"
	p.mu.Lock()
	if p.seen == nil || len(p.seen) >= maxPersons {
		p.seen = map[string]personAnswer{}
	}
	p.seen[user] = personAnswer{human: human, at: now}
	p.mu.Unlock()
	return human, nil
}
