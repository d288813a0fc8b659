package bot

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/waardenbot/waardenbot/bot/calendar"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/knowledge"
)

// fixStore is what the log says when the data file failed a read or a
// write.
const fixStore = "check the disk (free space, errors in the system log) and run waardenbot check; if it reports the data file damaged, stop the bot and restore the newest backup (waardenbot restore FILE)"

// Config is what the bot needs to know about its installation.
type Config struct {
	Lang     string         // "nl" (default) or "en"
	Admins   []string       // user IDs or names allowed to close any poll and change schedules
	Location *time.Location // time zone for dates users type; default Europe/Amsterdam

	// Grace is how late a scheduled post missed while the bot was down may
	// still go out at start-up: zero means schedule.DefaultGrace (12h),
	// negative means missed posts are never caught up.
	Grace time.Duration

	// KeepClosed is how long a closed poll and its votes are kept after
	// its result was posted; zero keeps them for ever.
	KeepClosed time.Duration

	// Calendar is the municipality's calendar: the public holidays and
	// recesses that reflection prompts and debate prep cards follow. Nil
	// means the Dutch public holidays without Goede Vrijdag and no
	// recesses.
	Calendar *calendar.Calendar
}

// Bot answers commands. It is safe for concurrent use.
type Bot struct {
	kb       *knowledge.Base
	cfg      Config
	msg      catalog
	log      *slog.Logger
	now      func() time.Time
	table    []command          // the commands in help order (commandTable)
	commands map[string]command // by name and alias

	pollStore poll.Store     // nil: no polls
	polls     *poll.Service  // on pollStore; nil: no polls
	schedules schedule.Store // nil: no schedules
	sched     *schedule.Scheduler
	scheduler *Scheduler // sched with the bot's messages, for adapters
	elector   Elector    // the store's election; nil: this process alone runs the clock

	rosters   atomic.Pointer[Rosters] // who is in a channel, by platform (UseRosters)
	counts    memberCounts            // channels' member counts, kept a minute
	reminding reminding               // polls whose members could not be listed, until when
}

// Option changes an optional part of a Bot.
type Option func(*Bot)

// WithClock sets the clock the bot reads, for tests.
func WithClock(now func() time.Time) Option { return func(b *Bot) { b.now = now } }

// Store is where the bot keeps polls, votes and schedules. Package
// bot/store implements it on one bbolt file; store.New opens the file only
// when a command first needs it, so a bot that only looks things up never
// touches it. Package bot/store/postgres implements it on PostgreSQL for
// several processes, and elects one of them to run the clock (Elector).
type Store interface {
	poll.Store
	schedule.Store
}

// WithStore gives the bot a place to keep polls and schedules. Without it
// the poll commands, /reflectie and /debat say that they cannot keep
// anything; lookups work as ever.
func WithStore(s Store) Option {
	return func(b *Bot) {
		if s != nil {
			b.pollStore, b.schedules = s, s
			b.elector, _ = s.(Elector)
		}
	}
}

// New returns a bot that answers from kb.
func New(kb *knowledge.Base, cfg Config, log *slog.Logger, opts ...Option) *Bot {
	if cfg.Location == nil {
		cfg.Location = amsterdam()
	}
	b := &Bot{kb: kb, cfg: cfg, msg: catalogFor(cfg.Lang), log: log, now: time.Now}
	for _, o := range opts {
		o(b)
	}
	b.polls = b.newPolls()
	b.sched = schedule.New(kb, b.schedules, schedule.Config{Location: cfg.Location, Grace: cfg.Grace, Now: b.now, Calendar: cfg.Calendar}, log)
	b.scheduler = &Scheduler{b: b}
	b.table = commandTable()
	b.commands = index(b.table)
	return b
}

func amsterdam() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return loc
}

// Handle answers one request. It never returns an empty reply: unknown
// commands get help, and bad input gets a sentence that says what is wrong.
func (b *Bot) Handle(ctx context.Context, req Request) Reply {
	req.Command = normalizeCommand(req.Command)
	req.Args = CleanInput(req.Args)
	cmd, ok := b.commands[req.Command]
	if !ok {
		return b.unknownCommand(req.Command)
	}
	if len(req.Args) > cmd.maxArgs {
		return b.refuse("err.too_long", cmd.maxArgs)
	}
	return cmd.run(b, ctx, req)
}

// HandleText parses text as typed in a chat ("/waarde privacy", or
// "waarde privacy" in a mention) and answers it.
func (b *Bot) HandleText(ctx context.Context, req Request, text string) Reply {
	req.Command, req.Args = ParseCommand(text)
	if req.Command == "" {
		return b.help()
	}
	return b.Handle(ctx, req)
}

// Scheduler returns the bot's scheduler, which posts the reflection
// prompts and debate prep cards that /reflectie and /debat plan.
func (b *Bot) Scheduler() *Scheduler { return b.scheduler }

// Knowledge returns the knowledge base the bot answers from.
func (b *Bot) Knowledge() *knowledge.Base { return b.kb }
