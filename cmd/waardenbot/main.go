// Command waardenbot is a chat bot for Dutch councils and municipal teams
// that brings the thinking tools of the book "Digitalisering in beeld –
// Denkgereedschap voor raadsleden" into Slack, Mattermost or a console.
//
// Usage:
//
//	waardenbot [run] [--config FILE]   start the configured adapters (console if none)
//	waardenbot console                 an interactive console, no account needed
//	waardenbot ask '/waarde privacy'   answer one command on stdout
//	waardenbot kb export               print the knowledge base as JSON
//	waardenbot manifest slack          print the Slack app manifest
//	waardenbot check [--json]          check the configuration and the platforms
//	waardenbot backup --out FILE       a copy of the data file, while the bot runs
//	waardenbot restore FILE            put a backup in place, while no bot runs
//	waardenbot migrate --from F --to D copy a data file into PostgreSQL
//	waardenbot export --poll ID --format csv   a poll's result as a file
//	waardenbot --version
//
// main only reads the configuration and wires: it opens the data file
// (package bot/store) or the PostgreSQL database (bot/store/postgres),
// builds the bot (package bot) and the enabled adapters (packages
// adapters/…), and runs the adapters, the bot's own loop (bot.Run), the
// store's backups and the control socket (package internal/control) until
// SIGINT or SIGTERM; then it closes the store.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/knowledge"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// Exit codes.
const (
	exitOK      = 0
	exitRefused = 1 // nothing found, or the input was refused
	exitUsage   = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}

// runMain is main without the process: testable with any streams.
func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, environ []string) int {
	cmd := "run"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	env := &cliEnv{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, environ: environ}
	switch cmd {
	case "run":
		return env.run(args)
	case "console":
		return env.console(args)
	case "ask":
		return env.ask(args)
	case "kb":
		return env.kb(args)
	case "manifest":
		return env.manifest(args)
	case "check":
		return env.check(args)
	case "backup":
		return env.backup(args)
	case "restore":
		return env.restore(args)
	case "migrate":
		return env.migrate(args)
	case "export":
		return env.export(args)
	case "version":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "waardenbot: unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

const usage = `waardenbot: public values and political questions on digitalisation, in your team's chat.

Usage:
  waardenbot [run] [--config FILE]     start every adapter enabled in the config,
                                       or the console when none is
  waardenbot console [flags]           interactive console (no chat account needed)
  waardenbot ask [flags] 'COMMAND'     answer one command, e.g. '/waarde privacy'
  waardenbot kb export [--config FILE] print the knowledge base as JSON
  waardenbot manifest slack [--config FILE]
                                       print the Slack app manifest for the
                                       bot's commands in the configured language
  waardenbot check [--config FILE] [--json]
                                       check the configuration, the data file
                                       and each enabled platform, changing nothing
  waardenbot backup --out FILE [--config FILE]
                                       a copy of the data file, from the running
                                       bot or, when none runs, from the file
  waardenbot restore [--config FILE] [--force] FILE
                                       check a backup and put it in place of the
                                       data file while no bot runs
  waardenbot migrate --from FILE --to postgres://…
                                       copy a data file into PostgreSQL
  waardenbot export --poll ID --format csv|png|md|html|json [--db PATH] [--out FILE]
  waardenbot export --channel ID --format csv [--db PATH] [--out FILE]
                                       a poll's result, or every poll of a
                                       channel, as a file
  waardenbot --version

Run 'waardenbot COMMAND --help' for the flags of a command.
The configuration keys are documented in config.example.toml.
`

func versionString() string {
	v := version
	if v == "" {
		v = "devel"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
	}
	return "waardenbot " + v
}

// cliEnv is what every subcommand works with.
type cliEnv struct {
	ctx     context.Context
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string
}

// configPath is the --config flag, else $WAARDENBOT_CONFIG, else
// ./waardenbot.toml when it exists, else none (defaults).
func (e *cliEnv) configPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	for _, kv := range e.environ {
		if v, ok := strings.CutPrefix(kv, "WAARDENBOT_CONFIG="); ok && v != "" {
			return v
		}
	}
	if _, err := os.Stat("waardenbot.toml"); err == nil {
		return "waardenbot.toml"
	}
	return ""
}

// setup loads the configuration and the knowledge base.
func (e *cliEnv) setup(configFlag string, quiet bool) (*Config, *knowledge.Base, *slog.Logger, error) {
	cfg, err := loadConfig(e.configPath(configFlag), e.environ)
	if err != nil {
		return nil, nil, nil, err
	}
	log := newLogger(e.stderr, &cfg, quiet)
	var overlays []string
	if cfg.KnowledgeFile != "" {
		overlays = append(overlays, cfg.KnowledgeFile)
	}
	kb, err := knowledge.Load(overlays...)
	if err != nil {
		return nil, nil, nil, err
	}
	return &cfg, kb, log, nil
}

// newBot builds the bot of cfg on kb. With st it keeps polls and schedules
// there; without, the commands that keep state say they cannot.
func newBot(cfg *Config, kb *knowledge.Base, log *slog.Logger, st bot.Store) *bot.Bot {
	var opts []bot.Option
	if st != nil {
		opts = append(opts, bot.WithStore(st))
	}
	return bot.New(kb, bot.Config{Lang: cfg.Lang, Admins: cfg.Admins, Location: cfg.Location(), Grace: cfg.Grace(), KeepClosed: cfg.KeepClosed(), Calendar: cfg.Calendar()}, log, opts...)
}

// newLogger writes cfg's log level and up to w in its log format (text or
// JSON lines); quiet makes the level at least warn.
func newLogger(w io.Writer, cfg *Config, quiet bool) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(cfg.LogLevel))
	if quiet && l < slog.LevelWarn {
		l = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: l}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// fail prints an error for a person and returns the exit code.
func (e *cliEnv) fail(err error) int {
	var ce *ConfigError
	var fe *knowledge.FileError
	switch {
	case errors.As(err, &ce), errors.As(err, &fe):
		fmt.Fprintln(e.stderr, "waardenbot:", err)
		return exitUsage
	}
	fmt.Fprintln(e.stderr, "waardenbot:", err)
	return exitRefused
}
