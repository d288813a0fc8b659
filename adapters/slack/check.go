package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/bot"
)

// checkTimeout bounds each question Check asks Slack.
const checkTimeout = 15 * time.Second

// Check asks Slack, without changing anything, whether the configuration
// will work: the bot token is valid (auth.test), it has the scopes of the
// manifest (Slack lists a token's scopes in the X-OAuth-Scopes header),
// and in Socket Mode the app token may open a connection
// (apps.connections.open hands out a URL, which is left unused); in HTTP
// mode the signing secret is set, which only Slack's own requests can
// prove right. Call it on an adapter whose configuration Validate accepts.
func (a *Adapter) Check(ctx context.Context) []bot.Check {
	checks := a.checkBotToken(ctx)
	if a.cfg.Mode == "http" {
		return append(checks, bot.Passed("Slack signing secret (HTTP mode)",
			"set; Slack's requests to "+a.cfg.Listen+" are verified with it (a wrong one shows as refused requests in the log)"))
	}
	return append(checks, a.checkAppToken(ctx))
}

// checkBotToken checks the bot token and, when Slack accepts it, its
// scopes.
func (a *Adapter) checkBotToken(ctx context.Context) []bot.Check {
	const name = "Slack bot token"
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	resp, err := a.api.AuthTestContext(ctx)
	if err != nil {
		if code, ok := slackError(err); ok {
			return []bot.Check{bot.Failed(name, "Slack refused it ("+code+")",
				"copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into WAARDENBOT_SLACK_BOT_TOKEN (slack.bot_token); if the app was removed from the workspace, install it again")}
		}
		return []bot.Check{bot.Failed(name, "the Slack Web API did not answer: "+err.Error(),
			"check this machine's connection to "+a.apiURL()+" (firewall, proxy: HTTPS_PROXY) and slack.api_url")}
	}
	checks := []bot.Check{bot.Passed(name, fmt.Sprintf("valid for workspace %s, bot user %s (%s)", resp.Team, resp.User, resp.UserID))}
	return append(checks, checkScopes(resp.Header.Get("X-OAuth-Scopes")))
}

// checkScopes compares the scopes Slack says a token has with Scopes.
func checkScopes(header string) bot.Check {
	const name = "Slack scopes"
	if strings.TrimSpace(header) == "" {
		return bot.Failed(name, "Slack did not say which scopes the token has",
			"compare the Bot Token Scopes on the app's OAuth & Permissions page with the manifest (waardenbot manifest slack)")
	}
	granted := map[string]bool{}
	for s := range strings.SplitSeq(header, ",") {
		granted[strings.TrimSpace(s)] = true
	}
	var missing, needed []string
	for _, s := range Scopes {
		needed = append(needed, s.Name)
		if !granted[s.Name] {
			missing = append(missing, s.Name+" ("+s.Why+")")
		}
	}
	if len(missing) > 0 {
		return bot.Failed(name, "missing "+strings.Join(missing, ", "),
			"add them under OAuth & Permissions > Scopes > Bot Token Scopes (or update the app's manifest from waardenbot manifest slack), then reinstall the app to the workspace")
	}
	return bot.Passed(name, "all granted: "+strings.Join(needed, ", "))
}

// checkAppToken asks for a Socket Mode connection URL with the app token.
func (a *Adapter) checkAppToken(ctx context.Context) bot.Check {
	const name = "Slack app token (Socket Mode)"
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	_, _, err := a.api.StartSocketModeContext(ctx)
	if err == nil {
		return bot.Passed(name, "Slack hands out Socket Mode connections for it")
	}
	code, ok := slackError(err)
	switch {
	case !ok:
		return bot.Failed(name, "the Slack Web API did not answer: "+err.Error(),
			"check this machine's connection to "+a.apiURL()+" (firewall, proxy: HTTPS_PROXY) and slack.api_url")
	case code == "not_allowed_token_type":
		return bot.Failed(name, "it is not an app-level token ("+code+")",
			"generate an app-level token with the scope connections:write under Basic Information > App-Level Tokens and put it (xapp-…) in WAARDENBOT_SLACK_APP_TOKEN (slack.app_token)")
	}
	return bot.Failed(name, "Slack refused it ("+code+")",
		"turn Socket Mode on (Settings > Socket Mode), generate an app-level token with the scope connections:write under Basic Information > App-Level Tokens and put it (xapp-…) in WAARDENBOT_SLACK_APP_TOKEN (slack.app_token); or use HTTP mode (slack.mode = \"http\")")
}

// slackError is the error code of an answer in which Slack refused a
// call, as opposed to a call that did not reach it.
func slackError(err error) (string, bool) {
	var e slack.SlackErrorResponse
	if errors.As(err, &e) {
		return e.Err, true
	}
	return "", false
}

// apiURL is the Web API's base URL.
func (a *Adapter) apiURL() string {
	if a.cfg.APIURL != "" {
		return a.cfg.APIURL
	}
	return slack.APIURL
}
