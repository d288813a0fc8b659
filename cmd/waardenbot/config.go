package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/waardenbot/waardenbot/adapters/console"
	"github.com/waardenbot/waardenbot/adapters/mattermost"
	"github.com/waardenbot/waardenbot/adapters/slack"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/internal/control"
)

// Config is the whole configuration: config.example.toml documents every
// key. Every key can be overridden from the environment with
// WAARDENBOT_<KEY> (top level) or WAARDENBOT_<SECTION>_<KEY>.
type Config struct {
	DataDir       string   `toml:"data_dir"`
	Lang          string   `toml:"lang"`
	Timezone      string   `toml:"timezone"`
	KnowledgeFile string   `toml:"knowledge_file"`
	Admins        []string `toml:"admins"`
	LogLevel      string   `toml:"log_level"`
	LogFormat     string   `toml:"log_format"`

	Backup     BackupConfig     `toml:"backup"`
	Store      StoreConfig      `toml:"store"`
	Polls      PollsConfig      `toml:"polls"`
	Schedule   ScheduleConfig   `toml:"schedule"`
	Console    ConsoleConfig    `toml:"console"`
	Slack      SlackConfig      `toml:"slack"`
	Mattermost MattermostConfig `toml:"mattermost"`
}

// BackupConfig is the [backup] section: copies of the data file that the
// running bot makes (package bot/store, Store.RunBackups).
type BackupConfig struct {
	// Every is how often ("24h", "1d"); empty or "0": no scheduled copies.
	Every string `toml:"every"`
	// Keep is how many of the newest copies stay.
	Keep int `toml:"keep"`
	// Dir is the folder of the copies; empty: data_dir/backups.
	Dir string `toml:"dir"`
}

// minBackupEvery is the shortest interval between scheduled copies.
const minBackupEvery = time.Minute

// Backups is the [backup] section for store.RunBackups, checked by
// Validate, and whether scheduled copies are on.
func (c *Config) Backups() (store.Backups, bool) {
	every, _ := parseKeep(c.Backup.Every)
	if strings.TrimSpace(c.Backup.Every) == "" || every == 0 {
		return store.Backups{}, false
	}
	return store.Backups{Dir: c.BackupDir(), Every: every, Keep: c.Backup.Keep}, true
}

// BackupDir is the folder of the scheduled copies.
func (c *Config) BackupDir() string {
	if strings.TrimSpace(c.Backup.Dir) != "" {
		return c.Backup.Dir
	}
	return filepath.Join(c.DataDir, "backups")
}

// errUseDatabaseTools is what backup, restore and [backup] say for a
// store that is not waardenbot's own data file.
var errUseDatabaseTools = errors.New("waardenbot copies only its own bbolt data file; for the PostgreSQL store use the database's own tools (pg_dump to back up, pg_restore or psql to restore)")

// fileBackups says whether waardenbot itself backs up and restores the
// configured store: the one place that decides it. It does for the bbolt
// data file, the only store there is today; a store kept elsewhere (the
// PostgreSQL store, [store] kind = "postgres") must return
// errUseDatabaseTools here, and `waardenbot backup`, `waardenbot restore`
// and a [backup] section then refuse with it.
func (c *Config) fileBackups() error {
	if c.Store.Kind == storePostgres {
		return errUseDatabaseTools
	}
	return nil
}

// StoreConfig is the [store] section: where polls, votes and schedules
// are kept.
type StoreConfig struct {
	// Kind is "bbolt" (one file in data_dir, the default: nothing to
	// install) or "postgres" (a database that several instances share).
	Kind string `toml:"kind"`
	// DSN is the PostgreSQL database for kind "postgres", as a
	// postgres:// URL or key=value string. Better in the environment:
	// WAARDENBOT_STORE_DSN.
	DSN string `toml:"dsn"`
}

// Store kinds.
const (
	storeBbolt    = "bbolt"
	storePostgres = "postgres"
)

// ScheduleConfig is the [schedule] section: reflection prompts and debate
// prep cards.
type ScheduleConfig struct {
	// Grace is how late a post missed while the bot was down may still go
	// out at start-up ("12h"); "0s" never catches up.
	Grace string `toml:"grace"`

	// GoodFriday counts Goede Vrijdag among the public holidays.
	GoodFriday bool `toml:"good_friday"`

	// Recess lists the municipality's recesses, [[schedule.recess]]; only
	// in the configuration file, not from the environment.
	Recess []RecessConfig `toml:"recess"`
}

// PollsConfig is the [polls] section.
type PollsConfig struct {
	// KeepClosed is how long a closed poll and its votes stay in the data
	// file ("365d", or a Go duration such as "720h"); "0" keeps them.
	KeepClosed string `toml:"keep_closed"`
}

// minKeepClosed is the shortest time closed polls are kept: a day, so that
// /uitslag still finds yesterday's poll.
const minKeepClosed = 24 * time.Hour

// parseKeep parses "365d" (days) or a Go duration; "0" means for ever.
func parseKeep(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("bad number of days %q", days)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// KeepClosed is the [polls] keep_closed period for bot.Config, checked by
// Validate; zero keeps closed polls for ever.
func (c *Config) KeepClosed() time.Duration {
	d, _ := parseKeep(c.Polls.KeepClosed)
	return d
}

// maxGrace is the longest grace period: a week-old prompt is noise.
const maxGrace = 7 * 24 * time.Hour

// ConsoleConfig is the [console] section: the console adapter's own
// configuration, and enabled, which changes nothing (the console runs when
// no platform is enabled) but is a documented key.
type ConsoleConfig struct {
	Enabled bool `toml:"enabled"`
	console.Config
}

// SlackConfig is the [slack] section: whether run starts the Slack
// adapter, and the adapter's own configuration (slack.Config).
type SlackConfig struct {
	Enabled bool `toml:"enabled"`
	slack.Config
}

// MattermostConfig is the [mattermost] section: whether run starts the
// Mattermost adapter, and the adapter's own configuration
// (mattermost.Config).
type MattermostConfig struct {
	Enabled bool `toml:"enabled"`
	mattermost.Config
}

func defaultConfig() Config {
	return Config{
		DataDir:    "./data",
		Lang:       "nl",
		Timezone:   "Europe/Amsterdam",
		LogLevel:   "info",
		LogFormat:  "text",
		Backup:     BackupConfig{Keep: 14},
		Store:      StoreConfig{Kind: storeBbolt},
		Polls:      PollsConfig{KeepClosed: "365d"},
		Schedule:   ScheduleConfig{Grace: "12h"},
		Console:    ConsoleConfig{Config: console.Config{User: "console", Channel: "console"}},
		Slack:      SlackConfig{Config: slack.Config{Mode: "socket", Listen: "127.0.0.1:8080"}},
		Mattermost: MattermostConfig{Config: mattermost.Config{Listen: "127.0.0.1:8081"}},
	}
}

// DBPath is the bbolt file inside the data directory.
func (c *Config) DBPath() string { return filepath.Join(c.DataDir, "waardenbot.db") }

// SocketPath is the running bot's control socket inside the data
// directory.
func (c *Config) SocketPath() string { return filepath.Join(c.DataDir, control.SocketName) }

// Location is the configured time zone, checked by Validate.
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Grace is the [schedule] grace period for bot.Config, checked by
// Validate: zero there means the default, so "0s" becomes negative.
func (c *Config) Grace() time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(c.Schedule.Grace))
	if err != nil {
		return 0
	}
	if d == 0 {
		return -1
	}
	return d
}

// ConfigError is a problem with one configuration key.
type ConfigError struct {
	Key     string // "slack.mode", or the environment variable's name
	Problem string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Problem) }

// loadConfig reads the file at path (if any), then the environment, then
// checks the result. An empty path with no file is fine: the defaults run
// the console.
func loadConfig(path string, environ []string) (Config, error) {
	cfg := defaultConfig()
	if path != "" {
		md, err := toml.DecodeFile(path, &cfg)
		if err != nil {
			var perr toml.ParseError
			if errors.As(err, &perr) {
				return cfg, fmt.Errorf("config %s: line %d: %s", path, perr.Position.Line, perr.Message)
			}
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return cfg, &ConfigError{Key: und[0].String(), Problem: fmt.Sprintf("unknown key in %s (see config.example.toml)", path)}
		}
	}
	if err := applyEnv(&cfg, environ); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// applyEnv overrides configuration keys from WAARDENBOT_* variables.
func applyEnv(cfg *Config, environ []string) error {
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "WAARDENBOT_") {
			env[k] = v
		}
	}
	known := map[string]bool{}
	err := walkFields(reflect.ValueOf(cfg).Elem(), "", func(key string, f reflect.Value) error {
		name := "WAARDENBOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
		known[name] = true
		v, ok := env[name]
		if !ok {
			return nil
		}
		if err := setField(f, v); err != nil {
			return &ConfigError{Key: name, Problem: err.Error()}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for name := range env {
		// The tests' own variables (WAARDENBOT_TEST_POSTGRES_DSN,
		// WAARDENBOT_E2E_…) are no settings, and may be set in the shell
		// a developer starts the bot from.
		if strings.HasPrefix(name, "WAARDENBOT_TEST_") || strings.HasPrefix(name, "WAARDENBOT_E2E_") {
			continue
		}
		if !known[name] && name != "WAARDENBOT_CONFIG" {
			return &ConfigError{Key: name, Problem: "unknown setting (see config.example.toml)"}
		}
	}
	return nil
}

// walkFields calls fn for every configuration key with its dotted name.
// The fields of an embedded struct (an adapter's own Config) are keys of
// the section that embeds it, as TOML decodes them; a field tagged "-" is
// none.
func walkFields(v reflect.Value, prefix string, fn func(key string, f reflect.Value) error) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("toml")
		switch {
		case tag == "-" || !t.Field(i).IsExported():
			continue
		case t.Field(i).Anonymous && tag == "":
			if err := walkFields(v.Field(i), prefix, fn); err != nil {
				return err
			}
			continue
		}
		key := prefix + tag
		if f := v.Field(i); f.Kind() == reflect.Struct {
			if err := walkFields(f, key+".", fn); err != nil {
				return err
			}
		} else if err := fn(key, f); err != nil {
			return err
		}
	}
	return nil
}

func setField(f reflect.Value, s string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(s)
	case reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		f.SetInt(int64(n))
	case reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		f.SetBool(b)
	case reflect.Slice:
		if f.Type().Elem().Kind() != reflect.String {
			return fmt.Errorf("a list of tables: set it in the configuration file")
		}
		var items []string
		for _, it := range strings.Split(s, ",") {
			if it = strings.TrimSpace(it); it != "" {
				items = append(items, it)
			}
		}
		f.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported type %s", f.Kind())
	}
	return nil
}

// Validate checks every key whose value can be wrong.
func (c *Config) Validate() error {
	switch {
	case strings.TrimSpace(c.DataDir) == "":
		return &ConfigError{Key: "data_dir", Problem: "must not be empty"}
	case c.Lang != "nl" && c.Lang != "en":
		return &ConfigError{Key: "lang", Problem: fmt.Sprintf("%q is not nl or en", c.Lang)}
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		return &ConfigError{Key: "timezone", Problem: fmt.Sprintf("unknown time zone %q (use a name such as Europe/Amsterdam)", c.Timezone)}
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return &ConfigError{Key: "log_level", Problem: fmt.Sprintf("%q is not debug, info, warn or error", c.LogLevel)}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return &ConfigError{Key: "log_format", Problem: fmt.Sprintf("%q is not text or json", c.LogFormat)}
	}
	if err := c.validateBackup(); err != nil {
		return err
	}
	if d, err := time.ParseDuration(strings.TrimSpace(c.Schedule.Grace)); err != nil || d < 0 || d > maxGrace {
		return &ConfigError{Key: "schedule.grace", Problem: fmt.Sprintf("%q is not a duration from 0s to 168h, such as 12h", c.Schedule.Grace)}
	}
	if _, err := c.calendar(); err != nil {
		return err
	}
	if d, err := parseKeep(c.Polls.KeepClosed); err != nil || (d != 0 && d < minKeepClosed) {
		return &ConfigError{Key: "polls.keep_closed", Problem: fmt.Sprintf("%q is not 0 (keep for ever) or a period of at least a day, such as 365d", c.Polls.KeepClosed)}
	}
	switch c.Store.Kind {
	case storeBbolt:
	case storePostgres:
		if strings.TrimSpace(c.Store.DSN) == "" {
			return &ConfigError{Key: "store.dsn", Problem: `kind "postgres" needs the database, e.g. postgres://waardenbot@db.intern/waardenbot (better in WAARDENBOT_STORE_DSN)`}
		}
		if err := postgres.CheckDSN(c.Store.DSN); err != nil {
			return &ConfigError{Key: "store.dsn", Problem: err.Error()}
		}
	default:
		return &ConfigError{Key: "store.kind", Problem: fmt.Sprintf("%q is not bbolt or postgres", c.Store.Kind)}
	}
	if c.KnowledgeFile != "" {
		if _, err := os.Stat(c.KnowledgeFile); err != nil {
			return &ConfigError{Key: "knowledge_file", Problem: fmt.Sprintf("cannot read %s", c.KnowledgeFile)}
		}
	}
	// Only the mode here, so that every command refuses a misspelt one;
	// the adapter's other keys are checked when run starts it
	// (validateAdapters), and `ask` needs none of them.
	if c.Slack.Enabled {
		if err := c.Slack.CheckMode(); err != nil {
			return &ConfigError{Key: "slack.mode", Problem: err.Error()}
		}
	}
	return nil
}

// validateBackup checks the [backup] section.
func (c *Config) validateBackup() error {
	every := strings.TrimSpace(c.Backup.Every)
	if d, err := parseKeep(every); every != "" && (err != nil || (d != 0 && d < minBackupEvery)) {
		return &ConfigError{Key: "backup.every", Problem: fmt.Sprintf("%q is not 0 (no scheduled backups) or an interval of at least a minute, such as 24h or 1d", c.Backup.Every)}
	}
	if c.Backup.Keep < 1 || c.Backup.Keep > 10000 {
		return &ConfigError{Key: "backup.keep", Problem: fmt.Sprintf("%d is not a number of copies from 1 to 10000", c.Backup.Keep)}
	}
	if _, on := c.Backups(); on {
		if err := c.fileBackups(); err != nil {
			return &ConfigError{Key: "backup.every", Problem: err.Error()}
		}
	}
	return nil
}

// validateAdapters checks the configuration of every enabled adapter, as
// run needs it, with the adapter's own Validate; the error names the
// section, and the adapter's message the key.
func (c *Config) validateAdapters() error {
	if c.Slack.Enabled {
		if err := c.Slack.Validate(); err != nil {
			return &ConfigError{Key: "slack", Problem: err.Error()}
		}
	}
	if c.Mattermost.Enabled {
		if err := c.Mattermost.Validate(); err != nil {
			return &ConfigError{Key: "mattermost", Problem: err.Error()}
		}
	}
	return nil
}
