package mattermost

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
)

// commandPath is where Mattermost sends slash command requests.
const commandPath = "/mattermost/command"

// slashCommand is one of the bot's slash commands as Mattermost shows it in
// autocomplete.
type slashCommand struct {
	Trigger string
	Hint    string // the arguments, shown after the trigger
	Desc    string // what it does
}

// builtIn are Mattermost's own commands that a custom command cannot
// replace (the server answers "This trigger word is already in use"). A bot
// command with such a name is registered under its first alias: the bot's
// help is /waardenbot.
var builtIn = map[string]bool{"help": true}

// slashCommands are the commands the bot registers in every configured
// team: the bot's commands (bot.Commands), with their hints and summaries
// in the bot's language.
func (a *Adapter) slashCommands() []slashCommand {
	var out []slashCommand
	for _, c := range a.bot.Commands() {
		trigger := c.Name
		if builtIn[trigger] {
			if len(c.Aliases) == 0 {
				continue // Mattermost's own command answers
			}
			trigger = c.Aliases[0]
		}
		out = append(out, slashCommand{Trigger: trigger, Hint: c.Hint, Desc: c.Summary})
	}
	return out
}

// command is the Mattermost command for c in team, pointing at the bot's
// listener.
func (a *Adapter) command(c slashCommand, teamID string) *command {
	return &command{
		TeamId:           teamID,
		Trigger:          c.Trigger,
		Method:           model.CommandMethodPost,
		URL:              a.commandURL(),
		DisplayName:      "waardenbot " + c.Trigger,
		Description:      c.Desc,
		AutoComplete:     true,
		AutoCompleteDesc: c.Desc,
		AutoCompleteHint: c.Hint,
	}
}

func (a *Adapter) commandURL() string { return a.cfg.PublicURL + commandPath }

// errForbidden means the bot token may not manage slash commands.
var errForbidden = errors.New("the bot may not manage slash commands")

// registerAll creates or updates the slash commands in every configured team
// and keeps the tokens Mattermost issued for them. When the bot lacks the
// right to do so, it logs what an admin must do.
func (a *Adapter) registerAll(ctx context.Context) {
	if len(a.cfg.Teams) == 0 {
		a.log.Info("no teams configured (mattermost.teams): slash commands are not registered; mentions and direct messages work")
		return
	}
	forbidden := false
	for _, name := range a.cfg.Teams {
		err := a.register(ctx, name)
		switch {
		case errors.Is(err, errForbidden):
			forbidden = true
		case err != nil:
			a.log.Error("slash commands not registered", "team", name, "error", err, "fix", "run waardenbot check, which names what is missing, then restart waardenbot")
		}
	}
	if forbidden {
		a.logInstructions(a.commandPermission(ctx))
	}
}

// register makes the team's custom commands match slashCommands: a command
// with the same trigger that points at our URL or was created by the bot is
// updated when it differs; a missing one is created. It never creates a
// second command with the same trigger.
func (a *Adapter) register(ctx context.Context, teamName string) error {
	team, err := a.rest.teamByName(ctx, teamName)
	if err != nil {
		if httpStatus(err) == http.StatusNotFound || httpStatus(err) == http.StatusForbidden {
			return fmt.Errorf("team %q not found, or the bot is not a member of it: add the bot account to the team", teamName)
		}
		return fmt.Errorf("find team %q: %w", teamName, err)
	}
	existing, err := a.rest.commands(ctx, team.Id)
	if err != nil {
		if httpStatus(err) == http.StatusForbidden {
			return errForbidden
		}
		return fmt.Errorf("list commands of team %q: %w", teamName, err)
	}
	me := a.self()
	var created, updated, refused int
	for _, c := range a.slashCommands() {
		want := a.command(c, team.Id)
		have := findCommand(existing, c.Trigger, want.URL, me.Id)
		switch {
		case have == nil:
			got, err := a.rest.createCommand(ctx, want)
			if err != nil {
				if httpStatus(err) == http.StatusForbidden {
					return errForbidden
				}
				// Another integration may own the trigger: the other
				// commands still work.
				a.log.Error("slash command not created", "team", teamName, "command", "/"+c.Trigger, "error", err,
					"fix", "another integration may have /"+c.Trigger+" in this team: rename or remove it (Integrations > Slash Commands), then restart waardenbot")
				refused++
				continue
			}
			a.tokens.add(got.Token)
			created++
		case differs(have, want):
			upd := *have
			upd.Method, upd.URL, upd.DisplayName, upd.Description = want.Method, want.URL, want.DisplayName, want.Description
			upd.AutoComplete, upd.AutoCompleteDesc, upd.AutoCompleteHint = want.AutoComplete, want.AutoCompleteDesc, want.AutoCompleteHint
			got, err := a.rest.updateCommand(ctx, &upd)
			if err != nil {
				if httpStatus(err) == http.StatusForbidden {
					return errForbidden
				}
				return fmt.Errorf("update /%s in team %q: %w", c.Trigger, teamName, err)
			}
			a.tokens.add(got.Token)
			updated++
		default:
			a.tokens.add(have.Token)
		}
	}
	a.log.Info("slash commands ready", "team", teamName, "created", created, "updated", updated, "refused", refused, "url", a.commandURL())
	return nil
}

// findCommand is the team's command with trigger that is ours: it points
// at url or the bot created it. Commands of other integrations with the
// same trigger are left alone.
func findCommand(cmds []*command, trigger, url, botID string) *command {
	for _, c := range cmds {
		if c.DeleteAt == 0 && strings.EqualFold(c.Trigger, trigger) && (c.URL == url || c.CreatorId == botID) {
			return c
		}
	}
	return nil
}

func differs(have, want *command) bool {
	return have.Method != want.Method || have.URL != want.URL || have.DisplayName != want.DisplayName ||
		have.Description != want.Description || have.AutoComplete != want.AutoComplete ||
		have.AutoCompleteDesc != want.AutoCompleteDesc || have.AutoCompleteHint != want.AutoCompleteHint
}

// Names of the permission to manage slash commands: manage_slash_commands
// on the servers tested (6.7 and 11.1); newer servers (from about 11.4)
// split it and give roles manage_own_slash_commands.
const (
	permManageCommands    = "manage_slash_commands"
	permManageOwnCommands = "manage_own_slash_commands"
)

// commandPermission is the name this server gives the permission a team
// admin has to manage its own slash commands. It asks the server for the
// team admin role rather than guessing from the version; any user may read
// a role.
func (a *Adapter) commandPermission(ctx context.Context) string {
	role, err := a.rest.role(ctx, model.TeamAdminRoleId)
	if err != nil {
		a.log.Debug("team admin role not read; naming the older permission", "error", err)
		return permManageCommands
	}
	if slices.Contains(role.Permissions, permManageOwnCommands) {
		return permManageOwnCommands
	}
	return permManageCommands
}

// logInstructions tells an admin how to make the slash commands work when
// the bot may not register them, and lists them for creating by hand.
// permission is the server's name for the right that is missing.
func (a *Adapter) logInstructions(permission string) {
	var sb strings.Builder
	for _, c := range a.slashCommands() {
		fmt.Fprintf(&sb, "\n  /%-10s hint %-20q description %q", c.Trigger, c.Hint, c.Desc)
	}
	a.log.Error("the bot account may not manage slash commands (403), so /waarde and the other commands are not registered; mentions and direct messages work meanwhile",
		"fix", "an admin can fix this in one of three ways, then restart waardenbot: "+
			"(1) make the bot a Team Admin of each team in mattermost.teams (System Console > User Management > Teams > the team > Manage Members), "+
			"which carries the permission "+permission+"; "+
			"(2) give the bot the System Admin role (System Console > User Management > Users > the bot > Manage Roles), which also lets it answer mentions with ephemeral posts; or "+
			"(3) create each command by hand (Integrations > Slash Commands > Add) with request URL "+a.commandURL()+
			", request method POST and autocomplete on, and put their tokens in mattermost.command_tokens (WAARDENBOT_MATTERMOST_COMMAND_TOKENS)",
		"commands", sb.String())
}

// tokenSet holds the tokens Mattermost issued for the bot's commands.
type tokenSet struct {
	mu     sync.Mutex
	tokens [][]byte
}

func (s *tokenSet) add(t string) {
	if t == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, have := range s.tokens {
		if string(have) == t {
			return
		}
	}
	s.tokens = append(s.tokens, []byte(t))
}

// valid reports whether t is one of the tokens, comparing with every token
// in constant time so that timing tells nothing about them.
func (s *tokenSet) valid(t string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := 0
	for _, have := range s.tokens {
		ok |= subtle.ConstantTimeCompare(have, []byte(t))
	}
	return ok == 1 && t != ""
}
