package mattermost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/adapters/internal/admins"
	"github.com/waardenbot/waardenbot/adapters/internal/link"
	"github.com/waardenbot/waardenbot/adapters/internal/replay"
	"github.com/waardenbot/waardenbot/bot"
)

// Platform is the name of this platform in bot requests and destinations.
const Platform = "mattermost"

// Config is the [mattermost] section of the configuration; the keys are
// in the toml tags, and cmd/waardenbot reads each from
// WAARDENBOT_MATTERMOST_<KEY> too.
type Config struct {
	URL       string   `toml:"url"`                     // the server, e.g. https://chat.gemeente.nl
	BotToken  string   `toml:"bot_token" secret:"true"` // the bot account's personal access token
	Teams     []string `toml:"teams"`                   // team names (URL names) to register the slash commands in
	Listen    string   `toml:"listen"`                  // HTTP listener for slash commands, e.g. 127.0.0.1:8081
	PublicURL string   `toml:"public_url"`              // how Mattermost reaches Listen, e.g. https://bot.gemeente.nl

	// CommandTokens are the tokens of slash commands an admin created by
	// hand because the bot may not manage commands. The bot accepts them
	// besides the tokens of the commands it registered itself.
	CommandTokens []string `toml:"command_tokens" secret:"true"`
}

// Validate says which key is missing or wrong. It never prints a secret.
func (c Config) Validate() error {
	if err := checkURL(c.URL); err != nil {
		return fmt.Errorf("mattermost.url: %w", err)
	}
	if strings.TrimSpace(c.BotToken) == "" {
		return errors.New("mattermost.bot_token (or WAARDENBOT_MATTERMOST_BOT_TOKEN) is empty: create a bot account in Mattermost (System Console > Integrations > Bot Accounts) and give it a token")
	}
	if c.Listen == "" {
		return errors.New("mattermost.listen is empty: the slash commands need a listener, e.g. 127.0.0.1:8081")
	}
	if len(c.Teams) > 0 {
		if err := checkURL(c.PublicURL); err != nil {
			return fmt.Errorf("mattermost.public_url (the address at which Mattermost reaches mattermost.listen): %w", err)
		}
	}
	return nil
}

func checkURL(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("is empty")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", s)
	}
	return nil
}

// Adapter connects the bot to a Mattermost server.
type Adapter struct {
	cfg    Config
	bot    *bot.Bot
	log    *slog.Logger
	rest   *client // the REST API
	tokens *tokenSet
	polls  *pollMessages // new polls and redraws, outside a thread

	maxRunes   int           // longest post message; longer replies are split
	minBackoff time.Duration // first wait before reconnecting the WebSocket
	maxBackoff time.Duration // longest wait between reconnects

	mu sync.Mutex
	me *user // the bot account, learned from GET /users/me

	ephemeralDenied atomic.Bool   // the server refused CreatePostEphemeral once
	statsDenied     atomic.Bool   // the server refused to count users without bots once
	clicks          clicks        // clicks being handled, per poll
	settleDelay     time.Duration // see settle
	settleMu        sync.Mutex
	settling        map[string]bool // polls with a redraw pending
	admins          admins.Cache    // who Mattermost calls an admin
	link            link.Status     // the WebSocket, for logs and /healthz
	inflight        sync.WaitGroup  // answers to posts being written
	seen            replay.Memory   // trigger_ids of commands and clicks, and mentions, handled
	listener        net.Listener    // bound already (tests); nil: Run binds cfg.Listen
}

// Option changes an optional part of the adapter.
type Option func(*Adapter)

// WithHTTPClient sets the HTTP client for the REST API.
func WithHTTPClient(c *http.Client) Option {
	return func(a *Adapter) { a.rest.http = c }
}

// WithShared makes the adapter remember the commands, clicks and mentions
// it handled in s, which other instances of the bot share, instead of in
// its own memory. Every instance's WebSocket delivers every mention; with
// a shared memory one instance answers it. Nil changes nothing.
func WithShared(s replay.Shared) Option {
	return func(a *Adapter) { a.seen.Shared = s }
}

// New returns a Mattermost adapter for b. Nothing connects until Run.
func New(cfg Config, b *bot.Bot, log *slog.Logger, opts ...Option) *Adapter {
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	a := &Adapter{
		cfg: cfg, bot: b, log: log.With("adapter", Platform), tokens: &tokenSet{},
		rest:     &client{url: cfg.URL, token: cfg.BotToken, http: &http.Client{Timeout: 30 * time.Second}},
		maxRunes: model.PostMessageMaxRunesV2, minBackoff: time.Second, maxBackoff: 2 * time.Minute,
		settleDelay: settleDelay, seen: replay.Memory{Local: replay.New(replayLimit)},
	}
	a.polls = &pollMessages{post: a.postPoll, redraw: a.redrawLater}
	a.admins = admins.Cache{Ask: a.isAdmin, TTL: time.Minute, Log: a.log}
	a.link = link.Status{Name: "Mattermost WebSocket", Patience: time.Minute, Log: a.log,
		Impact: "mentions and direct messages go unanswered; slash commands and buttons still work",
		Fix:    "check that the Mattermost server runs and this machine reaches it (mattermost.url; a proxy in between must pass WebSockets)"}
	for _, t := range cfg.CommandTokens {
		a.tokens.add(strings.TrimSpace(t))
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

var _ bot.Adapter = (*Adapter)(nil)

// Platform is "mattermost".
func (a *Adapter) Platform() string { return Platform }

// Run serves slash commands on the listener, registers the commands, and
// answers mentions and direct messages over the WebSocket, until ctx is
// cancelled. It returns an error only when the configuration is wrong or
// the listener cannot start; an unreachable server is retried with backoff.
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.cfg.Validate(); err != nil {
		return err
	}
	// Bind first: a busy address fails Run at once, and the listener is up
	// before the bot registers commands that point at it.
	ln := a.listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", a.cfg.Listen); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if !a.identify(ctx) {
			return
		}
		a.registerAll(ctx)
		a.listenWebSocket(ctx)
	}()
	err := a.serveHTTP(ctx, ln)
	cancel()
	wg.Wait()
	a.inflight.Wait()
	return err
}

// identify asks the server who the bot is, retrying with backoff while the
// server cannot be reached. It reports false when ctx ends first.
func (a *Adapter) identify(ctx context.Context) bool {
	b := a.newBackoff()
	for {
		me, version, err := a.rest.me(ctx)
		if err == nil {
			a.mu.Lock()
			a.me = me
			a.mu.Unlock()
			// The server's version is in every response's X-Version-Id;
			// logged once, it tells an admin which server the bot met.
			a.log.Info("connected to the Mattermost API", "bot_user", me.Username, "bot_user_id", me.Id, "server_version", version)
			return true
		}
		if httpStatus(err) == http.StatusUnauthorized {
			a.log.Error("Mattermost refused the bot token (401); retrying",
				"fix", "check mattermost.bot_token (WAARDENBOT_MATTERMOST_BOT_TOKEN), that the bot account is active and that personal access tokens are enabled (System Console > Integrations); waardenbot check tells more")
		} else {
			a.log.Warn("Mattermost API not reachable; retrying", "error", err)
		}
		if !sleep(ctx, b.next()) {
			return false
		}
	}
}

// self is the bot account once it is known, else nil.
func (a *Adapter) self() *user {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.me
}

// sleep waits d or until ctx ends, and reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
