package main

import (
	"encoding/json"
	"errors"
	"fmt"

	mattermostadapter "github.com/waardenbot/waardenbot/adapters/mattermost"
	slackadapter "github.com/waardenbot/waardenbot/adapters/slack"
	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

// check handles `waardenbot check`: it reads the configuration as run
// does and runs the checks of the store and of every enabled adapter,
// changing nothing, one line each. Exit 0 only when all pass.
func (e *cliEnv) check(args []string) int {
	fs := e.flags("check", "check [--config FILE] [--json]")
	configFlag := fs.String("config", "", "configuration file (TOML); default $WAARDENBOT_CONFIG or ./waardenbot.toml")
	asJSON := fs.Bool("json", false, `print {"ok":…,"checks":[{"name":…,"ok":…,"detail":…,"fix":…},…]}`)
	if code, stop := parse(fs, args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "waardenbot check: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	checks := e.runChecks(e.configPath(*configFlag))
	ok := true
	for _, c := range checks {
		ok = ok && c.OK
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			OK     bool        `json:"ok"`
			Checks []bot.Check `json:"checks"`
		}{ok, checks})
	} else {
		for _, c := range checks {
			if c.OK {
				fmt.Fprintf(e.stdout, "✓ %s: %s\n", c.Name, c.Detail)
			} else {
				fmt.Fprintf(e.stdout, "✗ %s: %s — %s\n", c.Name, c.Detail, c.Fix)
			}
		}
	}
	if !ok {
		return exitRefused
	}
	return exitOK
}

// runChecks checks the configuration at path, then what it names.
func (e *cliEnv) runChecks(path string) []bot.Check {
	source := "defaults and the environment (no configuration file)"
	if path != "" {
		source = path + " and the environment"
	}
	cfg, err := loadConfig(path, e.environ)
	if err != nil {
		return []bot.Check{bot.Failed("configuration", err.Error(), "correct the key it names; config.example.toml documents every key")}
	}
	checks := []bot.Check{bot.Passed("configuration", "read from "+source)}
	var kb *knowledge.Base
	if cfg.KnowledgeFile != "" {
		kb, err = knowledge.Load(cfg.KnowledgeFile)
	} else {
		kb, err = knowledge.Load()
	}
	if err != nil {
		return append(checks, bot.Failed("knowledge_file", err.Error(), "correct the file at the line it names"))
	}
	checks = append(checks, fileCheck("data file", func() (string, error) { return store.CheckFile(cfg.DBPath()) }))
	if b, on := cfg.Backups(); on {
		checks = append(checks, fileCheck(fmt.Sprintf("backups (every %s, keep %d)", cfg.Backup.Every, b.Keep), func() (string, error) { return store.CheckBackupDir(b.Dir) }))
	}
	if !cfg.Slack.Enabled && !cfg.Mattermost.Enabled {
		return append(checks, bot.Passed("platforms", "none enabled: run starts the console"))
	}
	log := newLogger(e.stderr, &cfg, true)
	b := newBot(&cfg, kb, log, nil)
	if cfg.Slack.Enabled {
		if err := cfg.Slack.Validate(); err != nil {
			checks = append(checks, bot.Failed("Slack configuration", err.Error(), "set the key it names"))
		} else {
			checks = append(checks, slackadapter.New(cfg.Slack.Config, b, log).Check(e.ctx)...)
		}
	}
	if cfg.Mattermost.Enabled {
		if err := cfg.Mattermost.Validate(); err != nil {
			checks = append(checks, bot.Failed("Mattermost configuration", err.Error(), "set the key it names"))
		} else {
			checks = append(checks, mattermostadapter.New(cfg.Mattermost.Config, b, log).Check(e.ctx)...)
		}
	}
	return checks
}

// fileCheck is a check of the store's: what it found, or its problem.
func fileCheck(name string, check func() (string, error)) bot.Check {
	found, err := check()
	var p *store.Problem
	switch {
	case errors.As(err, &p):
		return bot.Failed(name, p.What, p.Fix)
	case err != nil:
		return bot.Failed(name, err.Error(), "see the message")
	}
	return bot.Passed(name, found)
}
