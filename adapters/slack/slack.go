package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/waardenbot/waardenbot/adapters/internal/admins"
	"github.com/waardenbot/waardenbot/adapters/internal/answers"
	"github.com/waardenbot/waardenbot/adapters/internal/link"
	"github.com/waardenbot/waardenbot/adapters/internal/replay"
	"github.com/waardenbot/waardenbot/bot"
)

// Platform is this platform's name in bot requests and destinations.
const Platform = "slack"

// Config is the [slack] section of the configuration; the keys are in the
// toml tags, and cmd/waardenbot reads each from WAARDENBOT_SLACK_<KEY>
// too.
type Config struct {
	Mode          string `toml:"mode"`                         // "socket" (default) or "http"
	BotToken      string `toml:"bot_token" secret:"true"`      // xoxb-…
	AppToken      string `toml:"app_token" secret:"true"`      // xapp-…, Socket Mode only
	SigningSecret string `toml:"signing_secret" secret:"true"` // HTTP mode only
	Listen        string `toml:"listen"`                       // HTTP mode listener, e.g. 127.0.0.1:8080
	APIURL        string `toml:"api_url"`                      // Web API base URL ending in /api/; empty is Slack's own
}

// Validate says which key is missing for the chosen mode. It never prints a
// secret.
func (c Config) Validate() error {
	if c.BotToken == "" {
		return errors.New("slack.bot_token (or WAARDENBOT_SLACK_BOT_TOKEN) is empty")
	}
	if err := c.CheckMode(); err != nil {
		return fmt.Errorf("slack.mode %w", err)
	}
	switch c.Mode {
	case "", "socket":
		if !strings.HasPrefix(c.AppToken, "xapp-") {
			return errors.New("slack.app_token (or WAARDENBOT_SLACK_APP_TOKEN) must be an app-level token starting with xapp- for Socket Mode")
		}
	case "http":
		if c.SigningSecret == "" {
			return errors.New("slack.signing_secret (or WAARDENBOT_SLACK_SIGNING_SECRET) is empty; HTTP mode verifies every request with it")
		}
		if c.Listen == "" {
			return errors.New("slack.listen is empty")
		}
	}
	return nil
}

// CheckMode says whether Mode is one the adapter runs: "socket" (also
// when empty) or "http". Validate checks it with the rest; a program that
// reads the configuration for other uses than running the adapter can
// check the mode alone.
func (c Config) CheckMode() error {
	switch c.Mode {
	case "", "socket", "http":
		return nil
	}
	return fmt.Errorf("%q is not socket or http", c.Mode)
}

// Adapter connects the bot to a Slack workspace.
type Adapter struct {
	cfg     Config
	bot     *bot.Bot
	api     *slack.Client
	log     *slog.Logger
	now     func() time.Time
	verify  *verifier
	bodies  bodies                  // buffers for request bodies
	kept    *answers.Cache[*answer] // encoded answers to cacheable commands
	seen    replay.Memory           // signatures, trigger_ids and event_ids already handled
	updates *updater
	polls   *pollMessages // new polls and redraws, outside a thread
	admins  admins.Cache  // who Slack calls a workspace admin
	people  *people       // who is a person, not a bot (users.info)
	link    link.Status   // the Socket Mode connection, for the logs

	// inlineWait is how long a slash command may take before the HTTP
	// response only acknowledges it and the answer follows through
	// response_url. Slack waits 3 seconds. Zero sends every answer through
	// response_url.
	inlineWait time.Duration

	// retryWait is the first wait before a failed file upload is tried
	// again (see upload); it doubles with each attempt.
	retryWait time.Duration

	httpClient *http.Client

	work sync.WaitGroup // answers and redraws under way, which Run waits for

	mu        sync.Mutex
	botUserID string // learned from auth.test; used to strip and ignore our own mentions
}

// Option changes an optional part of the adapter.
type Option func(*Adapter)

// WithClock sets the clock used for request signatures, for tests.
func WithClock(now func() time.Time) Option { return func(a *Adapter) { a.now = now } }

// WithShared makes the adapter remember the requests and events it
// handled in s, which other instances of the bot share, instead of in its
// own memory: then a request or event that reaches several instances is
// handled by one. Nil changes nothing.
func WithShared(s replay.Shared) Option {
	return func(a *Adapter) { a.seen.Shared = s }
}

// WithHTTPClient sets the HTTP client of the Web API client.
func WithHTTPClient(c *http.Client) Option {
	return func(a *Adapter) { a.httpClient = c }
}

// New returns a Slack adapter for b.
func New(cfg Config, b *bot.Bot, log *slog.Logger, opts ...Option) *Adapter {
	a := &Adapter{cfg: cfg, bot: b, log: log.With("adapter", Platform), now: time.Now, seen: replay.Memory{Local: replay.New(replayLimit)}, inlineWait: 2500 * time.Millisecond, retryWait: time.Second}
	for _, o := range opts {
		o(a)
	}
	a.verify = newVerifier([]byte(cfg.SigningSecret), a.now)
	a.kept = answers.New[*answer](answerMemory)
	a.updates = &updater{a: a, delay: 300 * time.Millisecond, pending: map[string]bool{}}
	a.polls = &pollMessages{a: a}
	a.api = a.client()
	a.admins = admins.Cache{Ask: a.isAdmin, TTL: time.Minute, Log: a.log}
	a.people = &people{ask: func(ctx context.Context, user string) (*slack.User, error) {
		return a.api.GetUserInfoContext(ctx, user)
	}}
	a.link = link.Status{Name: "Slack Socket Mode connection", Patience: time.Minute, Log: a.log,
		Impact: "slash commands, mentions and button clicks do not reach the bot",
		Fix:    "check this machine's connection to Slack (firewall, proxy: HTTPS_PROXY) and Slack's status page; waardenbot check tests the tokens"}
	return a
}

// client is a Web API client for the configured bot token, with the
// options given.
func (a *Adapter) client(opts ...slack.Option) *slack.Client {
	apiOpts := []slack.Option{}
	if a.httpClient != nil {
		apiOpts = append(apiOpts, slack.OptionHTTPClient(a.httpClient))
	}
	// Retry on HTTP 429 with Slack's Retry-After; must come after the
	// HTTP client option so that it wraps it.
	apiOpts = append(apiOpts, slack.OptionRetry(3))
	if u := a.cfg.APIURL; u != "" {
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		apiOpts = append(apiOpts, slack.OptionAPIURL(u))
	}
	if a.cfg.AppToken != "" {
		apiOpts = append(apiOpts, slack.OptionAppLevelToken(a.cfg.AppToken))
	}
	return slack.New(a.cfg.BotToken, append(apiOpts, opts...)...)
}

var _ bot.Adapter = (*Adapter)(nil)

// Platform is "slack".
func (a *Adapter) Platform() string { return Platform }

// Run connects in the configured mode and serves until ctx is cancelled,
// then waits for the answers and redraws under way. It returns an error
// when the configuration is incomplete (Config.Validate), the listener
// cannot start (HTTP mode) or Slack refuses the connection for good
// (Socket Mode).
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.cfg.Validate(); err != nil {
		return err
	}
	go a.identify(ctx)
	defer a.wait() // answers and redraws under way finish
	if a.cfg.Mode == "http" {
		return a.serveHTTP(ctx)
	}
	return a.runSocketMode(ctx)
}

// identify asks Slack who the bot is (auth.test), retrying with backoff
// while the Web API cannot be reached, so that the listener serves slash
// commands in the meantime.
func (a *Adapter) identify(ctx context.Context) {
	wait := time.Second
	for {
		resp, err := a.api.AuthTestContext(ctx)
		if err == nil {
			a.mu.Lock()
			a.botUserID = resp.UserID
			a.mu.Unlock()
			a.log.Info("connected to the Slack Web API", "team", resp.Team, "bot_user", resp.UserID)
			return
		}
		if code, refused := slackError(err); refused {
			a.log.Error("Slack refused the bot token ("+code+"); retrying", "retry_in", wait,
				"fix", "put the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page in WAARDENBOT_SLACK_BOT_TOKEN (slack.bot_token) and restart; waardenbot check tells more")
		} else {
			a.log.Warn("Slack Web API not reachable; retrying", "error", err, "retry_in", wait)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

// wait waits for the answers and redraws under way.
func (a *Adapter) wait() { a.work.Wait() }

func (a *Adapter) botUser() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botUserID
}

// request builds a bot request from Slack's identifiers. Whether the user
// is an admin is kept by user alone: Slack's answer (isAdmin) is the
// same in every team and channel.
func (a *Adapter) request(team, channel, user, userName string) bot.Request {
	return bot.Request{Platform: Platform, Team: team, Channel: channel, User: user, UserName: userName,
		Admin: a.admins.Check("", "", user)}
}

// isAdmin asks Slack (users.info) whether user is an admin or owner of the
// workspace. Slack does not tell apps who manages a channel.
func (a *Adapter) isAdmin(ctx context.Context, _, _, user string) (bool, error) {
	u, err := a.api.GetUserInfoContext(ctx, user)
	if err != nil {
		return false, err
	}
	return u.IsAdmin || u.IsOwner || u.IsPrimaryOwner, nil
}
