package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/waardenbot/waardenbot/adapters/console"
	mattermostadapter "github.com/waardenbot/waardenbot/adapters/mattermost"
	slackadapter "github.com/waardenbot/waardenbot/adapters/slack"
	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/internal/control"
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
	cfg, kb, log, err := e.setup(*configFlag, false)
	if err != nil {
		return e.fail(err)
	}
	if !cfg.Slack.Enabled && !cfg.Mattermost.Enabled {
		resumeGC()
		return e.console([]string{"--config", e.configPath(*configFlag)})
	}
	if err := cfg.validateAdapters(); err != nil {
		return e.fail(err)
	}
	// The running bot holds the data file (or its connections): open it
	// now, so that a file in use or a database that cannot be reached is
	// reported at once.
	st, pg, err := openStore(e.ctx, cfg, "", log, true)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	b := newBot(cfg, kb, log, st)
	var adapters []bot.Adapter
	rosters := bot.Rosters{}
	if cfg.Slack.Enabled {
		var opts []slackadapter.Option
		if pg != nil {
			// Instances share what they handled: a retry or a replay
			// that reaches another instance is not done twice.
			opts = append(opts, slackadapter.WithShared(pg))
		}
		a := slackadapter.New(cfg.Slack.Config, b, log, opts...)
		adapters = append(adapters, adapter{a.Platform(), a.Run, a.Post})
		rosters[a.Platform()] = roster{a.MemberCount, a.Members, a.PostPrivate}
	}
	if cfg.Mattermost.Enabled {
		var opts []mattermostadapter.Option
		if pg != nil {
			// Every instance's WebSocket hears every mention; one answers.
			opts = append(opts, mattermostadapter.WithShared(pg))
		}
		a := mattermostadapter.New(cfg.Mattermost.Config, b, log, opts...)
		adapters = append(adapters, adapter{a.Platform(), a.Run, a.Post})
		rosters[a.Platform()] = roster{a.MemberCount, a.Members, a.PostPrivate}
	}
	// Member counts for participation and the reminders of polls.
	b.UseRosters(rosters)
	var runners []runner
	posters := bot.Posters{}
	for _, a := range adapters {
		runners = append(runners, runner{a.Platform(), a.Run})
		posters[a.Platform()] = a
	}
	// Poll results at their deadlines and the scheduled posts (with
	// PostgreSQL, while this instance leads).
	runners = append(runners, runner{"bot", func(ctx context.Context) error { return b.Run(ctx, posters) }})
	// The data file's copies: on a schedule, and when `waardenbot backup`
	// asks through the control socket. A PostgreSQL database is backed up
	// with its own tools (cfg.fileBackups).
	if file, ok := st.(*store.Store); ok {
		runners = append(runners, runner{"control socket", (&control.Server{Path: cfg.SocketPath(), Backup: file.Backup, Log: log}).Run})
		if backups, on := cfg.Backups(); on {
			runners = append(runners, runner{"backups", func(ctx context.Context) error { return file.RunBackups(ctx, backups, log) }})
		}
	}
	resumeGC()
	err = runAll(e.ctx, log, runners)
	// Every runner has stopped: close the store, committing the votes
	// still waiting.
	switch cerr := st.Close(); {
	case cerr != nil && pg != nil:
		log.Error("database connections not closed cleanly", "error", cerr,
			"fix", "nothing to do for the votes (each was committed before it was acknowledged); check the database's logs if it repeats")
	case cerr != nil:
		log.Error("data file not closed cleanly", "path", cfg.DBPath(), "error", cerr,
			"fix", "run waardenbot check; if it reports the data file damaged, restore the newest backup")
	case pg != nil:
		log.Info("database connections closed")
	default:
		log.Info("data file closed", "path", cfg.DBPath())
	}
	if err != nil {
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

// adapter is a bot.Adapter held by its methods rather than as itself. An
// adapter value in an interface makes the linker keep every exported
// method of every type the adapter holds: reflection could reach them, and
// the binary calls methods by name (text/template, which grpc's
// x/net/trace links). For Mattermost's model.Client4 that was about 1,300
// methods, 2.7 MB of the binary and 0.4 MB of its resident memory; see
// BENCHMARKS.md and TestBinaryLeavesOutUnusedMattermostClientMethods. Each
// adapter package checks at compile time that its Adapter is a
// bot.Adapter.
type adapter struct {
	platform string
	run      func(context.Context) error
	post     func(context.Context, bot.Destination, bot.Reply) error
}

var _ bot.Adapter = adapter{}

func (a adapter) Platform() string { return a.platform }

func (a adapter) Run(ctx context.Context) error { return a.run(ctx) }

func (a adapter) Post(ctx context.Context, to bot.Destination, r bot.Reply) error {
	return a.post(ctx, to, r)
}

// roster is a bot.Roster held by its methods, for the reason adapter is.
type roster struct {
	count   func(context.Context, bot.Destination) (int, error)
	members func(context.Context, bot.Destination) ([]string, error)
	private func(context.Context, bot.Destination, string, bot.Reply) error
}

var _ bot.Roster = roster{}

func (r roster) MemberCount(ctx context.Context, ch bot.Destination) (int, error) {
	return r.count(ctx, ch)
}

func (r roster) Members(ctx context.Context, ch bot.Destination) ([]string, error) {
	return r.members(ctx, ch)
}

func (r roster) PostPrivate(ctx context.Context, ch bot.Destination, user string, rep bot.Reply) error {
	return r.private(ctx, ch, user, rep)
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
	dbPath := fs.String("db", "", "data file, or a postgres:// database (default: the configured store)")
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "waardenbot console: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, kb, log, err := e.setup(*configFlag, false)
	if err != nil {
		return e.fail(err)
	}
	// The console holds the file for as long as it runs: open it now, so
	// that a file in use is reported at once.
	st, _, err := openStore(e.ctx, cfg, *dbPath, log, true)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	b := newBot(cfg, kb, log, st)
	c := console.New(b, e.stdin, e.stdout, console.Config{
		User:    firstNonEmpty(*user, cfg.Console.User),
		Channel: firstNonEmpty(*channel, cfg.Console.Channel),
		Prompt:  isTerminal(e.stdin),
		Lang:    cfg.Lang,
		Files:   filesDir(cfg, st),
	})
	// Start-up comes first, before the console reads a line: the results
	// of polls whose deadline passed while the bot was down, old closed
	// polls deleted, the schedules restored (with the runs missed within
	// the grace period). What that posts and logs then appears before the
	// prompt, not in the middle of it.
	posters := bot.Posters{console.Platform: c}
	if err := b.CatchUp(e.ctx, posters); err != nil {
		log.Error("scheduler stopped", "err", err, "fix", "check the data file with waardenbot check")
	}
	// Deadlines and the scheduler post into the console; they stop with
	// the console or on SIGINT/SIGTERM, and the console waits for them.
	ctx, cancel := context.WithCancel(e.ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Run(ctx, posters); err != nil {
			log.Error("scheduler stopped", "err", err, "fix", "check the data file with waardenbot check")
		}
	})
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
	dbPath := fs.String("db", "", "data file, or a postgres:// database (default: the configured store); opened only by commands that keep state (polls, /reflectie, /debat)")
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
	cfg, kb, log, err := e.setup(*configFlag, true)
	if err != nil {
		return e.fail(err)
	}
	// The store opens the file (or connects) only when the command needs
	// it (polls, schedules), so that a lookup never waits for a file a
	// running bot holds, nor for a database.
	st, _, err := openStore(e.ctx, cfg, *dbPath, log, false)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	b := newBot(cfg, kb, log, st)
	u := firstNonEmpty(*user, cfg.Console.User)
	req := bot.Request{Platform: console.Platform, Channel: firstNonEmpty(*channel, cfg.Console.Channel), User: u, UserName: u}
	reply := b.HandleText(e.ctx, req, fs.Arg(0))
	if file, ok := st.(*store.Store); ok && errors.Is(file.Err(), store.ErrInUse) {
		err := file.Err()
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
	if len(reply.Files) > 0 {
		// The files of an export go where the console puts them; stderr
		// says where, so that stdout stays the reply (or its JSON).
		fmt.Fprintln(e.stderr, console.SaveFiles(b, filesDir(cfg, st), reply.Files))
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

// kb handles `kb export`.
func (e *cliEnv) kb(args []string) int {
	configFlag, code, stop := e.pair(args, "kb", "export", "configuration file (TOML); its knowledge_file is included")
	if stop {
		return code
	}
	_, kb, _, err := e.setup(configFlag, true)
	if err != nil {
		return e.fail(err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(kb.Export()); err != nil {
		return e.fail(err)
	}
	return exitOK
}

// manifest handles `manifest slack`: the Slack app manifest with the
// bot's commands in the configured language (adapters/slack/manifest.yaml
// is the Dutch one).
func (e *cliEnv) manifest(args []string) int {
	configFlag, code, stop := e.pair(args, "manifest", "slack", "configuration file (TOML); its lang chooses the language of the commands")
	if stop {
		return code
	}
	cfg, kb, log, err := e.setup(configFlag, true)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprint(e.stdout, slackadapter.Manifest(newBot(cfg, kb, log, nil).Commands()))
	return exitOK
}

// pair parses the arguments of a two-word subcommand (`kb export`,
// `manifest slack`) that takes only --config: it returns the flag's
// value, or the exit code to stop with.
func (e *cliEnv) pair(args []string, name, word, configUsage string) (configFlag string, code int, stop bool) {
	synopsis := name + " " + word + " [--config FILE]"
	if len(args) == 0 || args[0] != word {
		fmt.Fprintln(e.stderr, "Usage: waardenbot "+synopsis)
		return "", exitUsage, true
	}
	fs := e.flags(name+" "+word, synopsis)
	flag := fs.String("config", "", configUsage)
	if code, stop := parse(fs, args[1:]); stop {
		return "", code, true
	}
	return *flag, 0, false
}

// filesDir is where the console and ask put the files of an export: the
// folder export beside the data file, or in data_dir with the PostgreSQL
// store.
func filesDir(cfg *Config, st dataStore) string {
	if file, ok := st.(*store.Store); ok {
		return filepath.Join(filepath.Dir(file.Path()), "export")
	}
	return filepath.Join(cfg.DataDir, "export")
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
