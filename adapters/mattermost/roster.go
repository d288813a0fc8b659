package mattermost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/bot"
)

// The adapter is the bot's Roster for Mattermost: how many people are in
// a channel (participation), who they are and how to reach one privately
// (reminders).
var _ bot.Roster = (*Adapter)(nil)

// MemberCount is the number of people in the channel in one call. With
// the system console's permission to read users (a bot with the system
// admin role) it asks GET /users/stats/filtered?in_channel=…&include_bots=false,
// which counts the channel's active members that are not bots: exactly
// the people. Without it (403, remembered) it asks GET
// /channels/{id}/stats, the channel's active members, and takes the bot
// itself off (it is a member of the channels it posts polls in); other
// bots in the channel are then counted.
func (a *Adapter) MemberCount(ctx context.Context, ch bot.Destination) (int, error) {
	if !a.statsDenied.Load() {
		n, err := a.rest.peopleIn(ctx, ch.Channel)
		if err == nil {
			return int(n), nil
		}
		if httpStatus(err) != http.StatusForbidden {
			return 0, rosterErr("count the channel's people", err)
		}
		a.statsDenied.Store(true)
		a.log.Info("the bot may not count users without bots (needs the system admin role); member counts include other bots in the channel")
	}
	n, err := a.rest.memberCount(ctx, ch.Channel)
	if err != nil {
		return 0, rosterErr("count the channel's members", err)
	}
	return max(int(n)-1, 0), nil
}

// membersPage is how many users one GET /channels/{id}/users … page has
// (Mattermost's maximum).
const membersPage = 200

// Members lists the channel's members, 200 a call, without bots (the bot
// itself too, also when it is a user account) and deactivated accounts.
func (a *Adapter) Members(ctx context.Context, ch bot.Destination) ([]string, error) {
	self := ""
	if me := a.self(); me != nil {
		self = me.Id
	}
	var out []string
	for page := 0; ; page++ {
		users, err := a.rest.usersIn(ctx, ch.Channel, page, membersPage)
		if err != nil {
			return nil, rosterErr("list the channel's members", err)
		}
		for _, u := range users {
			if !u.IsBot && u.DeleteAt == 0 && u.Id != self {
				out = append(out, u.Id)
			}
		}
		if len(users) < membersPage {
			return out, nil
		}
	}
}

// PostPrivate shows r to user alone: as an ephemeral post in the channel
// when the bot may post those (system admin role) and the user is
// connected (Mattermost does not keep an ephemeral post: someone who is
// offline would never see it), else as a direct message.
func (a *Adapter) PostPrivate(ctx context.Context, ch bot.Destination, user string, r bot.Reply) error {
	status := "not asked: ephemeral posts are not allowed"
	if !a.ephemeralDenied.Load() {
		st, err := a.rest.status(ctx, user)
		if err != nil {
			return rosterErr("read the user's status", err)
		}
		status = st
		if st != model.StatusOffline {
			err := a.postEphemeral(ctx, &post{ChannelId: ch.Channel, UserId: user}, r.Text)
			if err == nil {
				return nil
			}
			if !a.ephemeralDenied.Load() {
				return rosterErr("post an ephemeral message", err)
			}
		}
	}
	me := a.self()
	if me == nil {
		return fmt.Errorf("the bot does not know its own account yet")
	}
	a.log.Debug("a private message goes as a direct message", "status", status)
	dm, err := a.rest.directChannel(ctx, me.Id, user)
	if err != nil {
		return rosterErr("open a direct channel", err)
	}
	return a.createPosts(ctx, dm.Id, "", r.Text)
}

// rosterErr says what failed, and turns Mattermost's 429 (its API rate
// limit, when an admin turned it on) into the bot's *RateLimited with the
// wait the server names.
func rosterErr(what string, err error) error {
	if e := (*apiError)(nil); errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
		wait := time.Second
		for _, h := range []string{"Retry-After", "X-Ratelimit-Reset"} {
			if s, perr := strconv.Atoi(e.Header.Get(h)); perr == nil && s > 0 {
				wait = time.Duration(s) * time.Second
				break
			}
		}
		return &bot.RateLimited{Wait: wait, Err: fmt.Errorf("%s: %w", what, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}
