package mattermost

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/adapters/internal/httpserve"
	"github.com/waardenbot/waardenbot/bot"
)

// checkTimeout bounds Check; Mattermost itself gives an integration 30
// seconds to answer.
const checkTimeout = 45 * time.Second

// Check asks the server, without changing anything, whether the
// configuration will work: the server answers; the token belongs to a bot
// account; each team in mattermost.teams exists, has the bot as a member,
// and lets it manage slash commands (from the permissions of its system and
// team roles, which any user may read); and Mattermost reaches public_url.
// For the last, Check has the server post a dialog submission, as a button
// click is posted, to public_url's probe path, which the adapter's handler
// answers by echoing a random value: a bot running on mattermost.listen
// answers, or else Check listens there itself for the moment. Call it on
// an adapter whose configuration Validate accepts.
func (a *Adapter) Check(ctx context.Context) []bot.Check {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	server, ok := a.checkServer(ctx)
	if !ok {
		return []bot.Check{server}
	}
	checks := []bot.Check{server}
	me, token := a.checkToken(ctx)
	checks = append(checks, token)
	if me == nil {
		return checks
	}
	if len(a.cfg.Teams) == 0 {
		checks = append(checks, bot.Passed("Mattermost teams", "none configured (mattermost.teams): slash commands are not registered; mentions and direct messages work"))
	}
	var probeIn *team // a team of the bot's, to probe public_url from
	for _, name := range a.cfg.Teams {
		team, member, check := a.checkTeam(ctx, name, me)
		checks = append(checks, check)
		if team == nil {
			continue
		}
		if probeIn == nil {
			probeIn = team
		}
		checks = append(checks, a.checkCommandRights(ctx, team, me, member))
	}
	if a.cfg.PublicURL != "" {
		checks = append(checks, a.checkPublicURL(ctx, me, probeIn))
	}
	return checks
}

// checkServer pings the server.
func (a *Adapter) checkServer(ctx context.Context) (bot.Check, bool) {
	const name = "Mattermost server"
	ping, version, err := a.rest.ping(ctx)
	if err != nil || ping["status"] != model.StatusOk {
		why := fmt.Sprint(err)
		if err == nil {
			why = fmt.Sprintf("it answered, but not as Mattermost does (%v)", ping)
		}
		return bot.Failed(name, "no answer from "+a.cfg.URL+": "+why,
			"check mattermost.url (the address people open Mattermost at) and this machine's connection to it (firewall, proxy: HTTPS_PROXY)"), false
	}
	detail := "answers at " + a.cfg.URL
	// X-Version-Id is "version.build.hash.enterprise": the version is its
	// first three parts.
	if parts := strings.SplitN(version, ".", 4); len(parts) >= 3 {
		detail += " (version " + strings.Join(parts[:3], ".") + ")"
	}
	return bot.Passed(name, detail), true
}

// checkToken asks who the token belongs to.
func (a *Adapter) checkToken(ctx context.Context) (*user, bot.Check) {
	const name = "Mattermost bot token"
	me, _, err := a.rest.me(ctx)
	switch {
	case httpStatus(err) == http.StatusUnauthorized:
		return nil, bot.Failed(name, "Mattermost refused it (401)",
			"create a token for the bot account (System Console > Integrations > Bot Accounts > the bot > Create New Token) and put it in WAARDENBOT_MATTERMOST_BOT_TOKEN (mattermost.bot_token); check that the account is active and that personal access tokens are enabled (System Console > Integrations > Integration Management)")
	case err != nil:
		return nil, bot.Failed(name, "not checked: "+err.Error(), "check mattermost.url and the server's log")
	case !me.IsBot:
		return nil, bot.Failed(name, "it belongs to @"+me.Username+", which is not a bot account",
			"create a bot account (System Console > Integrations > Bot Accounts > Add Bot Account) and use its token: with a person's token the bot posts as that person")
	}
	return me, bot.Passed(name, "belongs to the bot account @"+me.Username)
}

// checkTeam finds a team and the bot's membership.
func (a *Adapter) checkTeam(ctx context.Context, name string, me *user) (*team, *membership, bot.Check) {
	check := "Mattermost team " + name
	addBot := "add @" + me.Username + " to the team (the team's menu > Add Members, or System Console > User Management > Teams > " + name + " > Add Members), or correct mattermost.teams (team names as in the team's URL)"
	t, err := a.rest.teamByName(ctx, name)
	switch {
	case httpStatus(err) == http.StatusNotFound || httpStatus(err) == http.StatusForbidden:
		return nil, nil, bot.Failed(check, "not found, or @"+me.Username+" is not a member", addBot)
	case err != nil:
		return nil, nil, bot.Failed(check, "not checked: "+err.Error(), "check the server's log")
	}
	member, err := a.rest.teamMember(ctx, t.Id, me.Id)
	if err != nil || member.DeleteAt != 0 {
		return nil, nil, bot.Failed(check, "exists, but @"+me.Username+" is not a member", addBot)
	}
	return t, member, bot.Passed(check, "exists; @"+me.Username+" is a member")
}

// checkCommandRights says whether the bot may manage slash commands in
// team, from the permissions of its system and team roles.
func (a *Adapter) checkCommandRights(ctx context.Context, team *team, me *user, member *membership) bot.Check {
	check := "slash commands in " + team.Name
	names := slices.Concat(strings.Fields(me.Roles), strings.Fields(member.Roles))
	roles, err := a.rest.roles(ctx, names)
	if err != nil {
		return bot.Failed(check, "not checked: the roles "+strings.Join(names, ", ")+" could not be read: "+err.Error(), "check the server's log")
	}
	for _, r := range roles {
		if slices.Contains(r.Permissions, permManageCommands) || slices.Contains(r.Permissions, permManageOwnCommands) {
			return bot.Passed(check, "@"+me.Username+" may manage them (role "+r.Name+")")
		}
	}
	if n := len(a.cfg.CommandTokens); n > 0 {
		return bot.Passed(check, fmt.Sprintf("@%s may not manage them; it accepts the %d commands an admin created by hand (mattermost.command_tokens)", me.Username, n))
	}
	perm := a.commandPermission(ctx)
	return bot.Failed(check, "@"+me.Username+" may not manage them (roles "+strings.Join(names, ", ")+" lack "+perm+"), so run cannot register /waarde and the other commands",
		"make @"+me.Username+" a Team Admin of "+team.Name+" (System Console > User Management > Teams > "+team.Name+" > Manage Members > @"+me.Username+" > Make Team Admin), which grants "+perm+
			"; or give it the System Admin role; or create the commands by hand as the log of waardenbot run lists them and put their tokens in mattermost.command_tokens")
}

// probePath is where the adapter answers Check's probe.
const probePath = "/mattermost/check"

// probeValue is what a probe may carry and get back.
var probeValue = regexp.MustCompile(`^[0-9a-f]{32}$`)

// serveProbe answers a probe, a dialog submission whose state is a random
// value, with that value: the sender learns that Mattermost reached this
// listener. It reveals and changes nothing.
func serveProbe(w http.ResponseWriter, r *http.Request) {
	var req dialogSubmission
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&req); err != nil || !probeValue.MatchString(req.State) {
		http.Error(w, "not a probe", http.StatusBadRequest)
		return
	}
	writeJSON(w, &dialogResponse{Errors: map[string]string{"waardenbot": req.State}})
}

// checkPublicURL has Mattermost post a probe to public_url from a channel
// of team (the bot must be able to read a channel for the server to take
// the submission).
func (a *Adapter) checkPublicURL(ctx context.Context, me *user, team *team) bot.Check {
	check := "public_url " + a.cfg.PublicURL
	if team == nil {
		return bot.Failed(check, "not tested: the bot is a member of none of mattermost.teams", "fix the teams above, then check again")
	}
	channels, err := a.rest.channelsOf(ctx, team.Id, me.Id)
	i := slices.IndexFunc(channels, func(c channel) bool {
		return c.Type == string(model.ChannelTypeOpen) || c.Type == string(model.ChannelTypePrivate)
	})
	if err != nil || i < 0 {
		return bot.Failed(check, "not tested: @"+me.Username+" is in no channel of "+team.Name, "add the bot to a channel of "+team.Name+" (Town Square will do), then check again")
	}
	how := "answered by the waardenbot running on " + a.cfg.Listen
	ln, err := net.Listen("tcp", a.cfg.Listen)
	switch {
	case err == nil:
		how = "answered by this check listening on " + a.cfg.Listen
		mux := http.NewServeMux()
		mux.HandleFunc("POST "+probePath, serveProbe)
		ctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- httpserve.Serve(ctx, ln, mux) }()
		defer func() { stop(); <-done }()
	case !errors.Is(err, syscall.EADDRINUSE):
		return bot.Failed("mattermost.listen "+a.cfg.Listen, "cannot listen there: "+err.Error(), "choose an address and port this machine has and the bot's user may bind (above 1023)")
	}
	value := make([]byte, 16)
	rand.Read(value)
	nonce := hex.EncodeToString(value)
	resp, err := a.rest.submitDialog(ctx, dialogSubmission{
		URL: a.cfg.PublicURL + probePath, CallbackId: "waardenbot-check", State: nonce,
		ChannelId: channels[i].Id, TeamId: team.Id,
	})
	switch {
	case err != nil:
		return bot.Failed(check, "Mattermost could not reach "+a.cfg.PublicURL+probePath+": "+err.Error(),
			"make public_url an address the Mattermost server can reach that leads to mattermost.listen ("+a.cfg.Listen+"): not 127.0.0.1 unless Mattermost runs on this machine, open in firewalls and your proxy; "+
				"for a private or local address, add its host to System Console > Environment > Developer > Allow untrusted internal connections to")
	case resp.Errors["waardenbot"] != nonce:
		return bot.Failed(check, "Mattermost reached "+a.cfg.PublicURL+", but what answered there is not this waardenbot",
			"make public_url lead to mattermost.listen ("+a.cfg.Listen+"); if another program listens there, stop it or choose another address")
	}
	return bot.Passed(check, "Mattermost reaches it, as it sends slash commands and button clicks ("+how+")")
}
