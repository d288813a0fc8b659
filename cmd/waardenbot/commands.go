package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/waardenbot/waardenbot/adapters/console"
	mattermostadapter "github.com/waardenbot/waardenbot/adapters/mattermost"
	slackadapter "github.com/waardenbot/waardenbot/adapters/slack"
	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
)

// flags returns a flag set that prints its usage on e.stderr and never
// exits the process.
func (e *cliEnv) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: waardenbot %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and returns the exit code to stop with, if any.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitUsage, true
	}
	return 0, false
}

// run starts every adapter enabled in the config; with none it runs the
// console. It stops cleanly when the context is cancelled (SIGINT/SIGTERM).
func (e *cliEnv) run(args []string) int {
	fs := e.flags("run", "[run] [--config FILE] [--version]")
	configFlag := fs.String("config", "", "configuration file (TOML); default $WAARDENBOT_CONFIG or ./waardenbot.toml")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if *showVersion {
		fmt.Fprintln(e.stdout, versionString())
		return exitOK
	}
	// Start-up makes garbage (parsing the knowledge base: about 0.6 MB) on
	// top of the 2 MB or so the package init functions leave, and that
	// crosses the collector's first 4 MB goal: a collection in the middle
	// of loading found little to free, made loading twice as slow and was
	// followed by a second one in runAll. The collector waits until the
	// adapters start; runAll then collects once.
	resumeGC := pauseGC()
	defer resumeGC()
	db := &lazyStore{}
	cfg, b, log, err := e.setup(*configFlag, false, db)
	if err != nil {
		return e.fail(err)
	}
	var adapters []runner
	posters := bot.Posters{}
	if cfg.Slack.Enabled {
		sc := slackadapter.Config{
			Mode: cfg.Slack.Mode, BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken,
			SigningSecret: cfg.Slack.SigningSecret, Listen: cfg.Slack.Listen, APIURL: cfg.Slack.APIURL,
		}
		if err := sc.Validate(); err != nil {
			return e.fail(&ConfigError{Key: "slack", Problem: err.Error()})
		}
		a := slackadapter.New(sc, b, log)
		adapters = append(adapters, runner{"slack", a.Run})
		posters["slack"] = postFunc(a.Post)
	}
	if cfg.Mattermost.Enabled {
		mc := mattermostadapter.Config{
			URL: cfg.Mattermost.URL, BotToken: cfg.Mattermost.BotToken, Teams: cfg.Mattermost.Teams,
			Listen: cfg.Mattermost.Listen, PublicURL: cfg.Mattermost.PublicURL, CommandTokens: cfg.Mattermost.CommandTokens,
		}
		if err := mc.Validate(); err != nil {
			return e.fail(&ConfigError{Key: "mattermost", Problem: err.Error()})
		}
		a := mattermostadapter.New(mc, b, log)
		adapters = append(adapters, runner{"mattermost", a.Run})
		posters[mattermostadapter.Platform] = postFunc(a.Post)
	}
	if len(adapters) == 0 {
		resumeGC()
		return e.console([]string{"--config", e.configPath(*configFlag)})
	}
	// The running bot holds the data file: open it now, so that a file in
	// use is reported at once.
	if _, err := db.open(); err != nil {
		return e.fail(err)
	}
	defer db.Close()
	adapters = append(adapters,
		runner{"poll deadlines", func(ctx context.Context) error { return b.RunDeadlines(ctx, posters, deadlineEvery) }},
		runner{"scheduler", func(ctx context.Context) error { return b.Scheduler().Run(ctx, posters) }},
	)
	resumeGC()
	if err := runAll(e.ctx, log, adapters); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// pauseGC stops the garbage collector and returns the function that sets
// it back as it was (GOGC); calling that again does nothing. A memory
// limit (GOMEMLIMIT) still applies while the collector waits.
func pauseGC() (resume func()) {
	percent := debug.SetGCPercent(-1)
	return sync.OnceFunc(func() { debug.SetGCPercent(percent) })
}

// postFunc is an adapter's Post method as a bot.Poster. The posters hold
// adapters this way rather than as themselves because an adapter value in
// an interface makes the linker keep every exported method of every type
// the adapter holds: reflection could reach them, and the binary calls
// methods by name (text/template, which grpc's x/net/trace links). For
// Mattermost's model.Client4 that was about 1,300 methods, 2.7 MB of the
// binary and 0.4 MB of its resident memory; see BENCHMARKS.md.
type postFunc func(context.Context, bot.Destination, bot.Reply) error

// Post posts r to the destination.
func (f postFunc) Post(ctx context.Context, to bot.Destination, r bot.Reply) error {
	return f(ctx, to, r)
}

// runner is something that serves until its context ends.
type runner struct {
	name string
	run  func(context.Context) error
}

// runAll runs every runner until ctx is cancelled or one fails; then it
// cancels the others and waits for all of them to finish.
func runAll(ctx context.Context, log *slog.Logger, rs []runner) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(rs))
	for _, r := range rs {
		go func() {
			log.Info("starting", "adapter", r.name)
			err := r.run(ctx)
			if err != nil {
				err = fmt.Errorf("%s: %w", r.name, err)
			}
			errc <- err
			cancel()
		}()
	}
	// Loading the knowledge base and opening the file left garbage behind;
	// collect it and give it back once the adapters are starting, so that
	// an idle bot holds only what it uses.
	debug.FreeOSMemory()
	var first error
	for range rs {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	log.Info("stopped")
	return first
}

// console runs the interactive console.
func (e *cliEnv) console(args []string) int {
	fs := e.flags("console", "console [--config FILE] [--user NAME] [--channel NAME] [--db PATH]")
	configFlag := fs.String("config", "", "configuration file (TOML)")
	user := fs.String("user", "", "your user name in the console (default from [console] user)")
	channel := fs.String("channel", "", "the channel the console speaks in (default from [console] channel)")
	dbPath := fs.String("db", "", "data file (default data_dir/waardenbot.db)")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "waardenbot console: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	db := &lazyStore{path: *dbPath}
	defer db.Close()
	cfg, b, log, err := e.setup(*configFlag, false, db)
	if err != nil {
		return e.fail(err)
	}
	// The console holds the file for as long as it runs: open it now, so
	// that a file in use is reported at once.
	if _, err := db.open(); err != nil {
		return e.fail(err)
	}
	log.Debug("data file open", "path", db.path)
	c := console.New(b, e.stdin, e.stdout, console.Config{
		User:    firstNonEmpty(*user, cfg.Console.User),
		Channel: firstNonEmpty(*channel, cfg.Console.Channel),
		Prompt:  isTerminal(e.stdin),
		Lang:    cfg.Lang,
	})
	// Start-up comes first, before the console reads a line: the results
	// of polls whose deadline passed while the bot was down, old closed
	// polls deleted, the schedules restored (with the runs missed within
	// the grace period). What that posts and logs then appears before the
	// prompt, not in the middle of it.
	posters := bot.Posters{"console": c}
	if _, err := b.CloseDue(e.ctx, c); err != nil {
		log.Error("close polls at their deadline", "err", err)
	}
	b.PruneClosed(e.ctx)
	sched := b.Scheduler()
	restored := sched.Restore(e.ctx, posters)
	if restored != nil {
		log.Error("scheduler stopped", "err", restored)
	}
	// Deadlines and the scheduler post into the console; they stop with
	// the console or on SIGINT/SIGTERM, and the console waits for them.
	ctx, cancel := context.WithCancel(e.ctx)
	var wg sync.WaitGroup
	wg.Go(func() { b.RunDeadlines(ctx, c, deadlineEvery) })
	if restored == nil {
		wg.Go(func() {
			if err := sched.Run(ctx, posters); err != nil {
				log.Error("scheduler stopped", "err", err)
			}
		})
	}
	err = c.Run(ctx)
	cancel()
	wg.Wait()
	if err != nil {
		return e.fail(err)
	}
	return exitOK
}

// ask answers one command on stdout: exit 0 when answered, 1 when nothing
// was found or the input was refused, 2 on a usage error.
func (e *cliEnv) ask(args []string) int {
	fs := e.flags("ask", "ask [--config FILE] [--db PATH] [--user NAME] [--channel NAME] [--json] 'COMMAND'")
	configFlag := fs.String("config", "", "configuration file (TOML)")
	dbPath := fs.String("db", "", "data file (default data_dir/waardenbot.db); opened only by commands that keep state (polls, /reflectie, /debat)")
	user := fs.String("user", "", "user name for the request (default from [console] user)")
	channel := fs.String("channel", "", "channel for the request (default from [console] channel)")
	asJSON := fs.Bool("json", false, `print {"text":…,"ephemeral":…,"poll":…} instead of Markdown`)
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "waardenbot ask: give exactly one command, quoted, e.g. waardenbot ask '/waarde privacy'")
		return exitUsage
	}
	db := &lazyStore{path: *dbPath}
	defer db.Close()
	cfg, b, _, err := e.setup(*configFlag, true, db)
	if err != nil {
		return e.fail(err)
	}
	u := firstNonEmpty(*user, cfg.Console.User)
	req := bot.Request{Platform: "console", Channel: firstNonEmpty(*channel, cfg.Console.Channel), User: u, UserName: u}
	reply := b.HandleText(e.ctx, req, fs.Arg(0))
	if _, err := db.opened(); errors.Is(err, store.ErrInUse) {
		// The reply only says that something went wrong; say what.
		fmt.Fprintf(e.stderr, "waardenbot ask: %v\nA running waardenbot holds the data file: ask it in the chat or the console, or give ask another file with --db.\n", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonReply{Text: reply.Text, Ephemeral: reply.Ephemeral, Poll: reply.Poll}); err != nil {
			return e.fail(err)
		}
	} else {
		fmt.Fprintln(e.stdout, reply.Text)
	}
	if reply.Status != bot.Answered {
		return exitRefused
	}
	return exitOK
}

// jsonReply is the --json form of a reply; later fields are additions.
type jsonReply struct {
	Text      string        `json:"text"`
	Ephemeral bool          `json:"ephemeral"`
	Poll      *bot.PollView `json:"poll,omitempty"`
}

// deadlineEvery is how often a running bot looks for polls whose deadline
// has come.
const deadlineEvery = 5 * time.Second

// kb handles `kb export`.
func (e *cliEnv) kb(args []string) int {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(e.stderr, "Usage: waardenbot kb export [--config FILE]")
		return exitUsage
	}
	fs := e.flags("kb export", "kb export [--config FILE]")
	configFlag := fs.String("config", "", "configuration file (TOML); its knowledge_file is included")
	if code, stop := parse(fs, args[1:]); stop {
		return code
	}
	_, b, _, err := e.setup(*configFlag, true, nil)
	if err != nil {
		return e.fail(err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b.Knowledge().Export()); err != nil {
		return e.fail(err)
	}
	return exitOK
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// isTerminal reports whether r is an interactive terminal, so that the
// console prints a prompt there and not into a pipe.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
