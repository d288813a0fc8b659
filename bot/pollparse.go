package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/wallclock"
	"github.com/waardenbot/waardenbot/knowledge"
)

// Limits of a poll.
const (
	casusMax    = 3000                // runes of a casus or statement
	minOptions  = 2                   // options of a poll, after merging duplicates
	maxOptions  = 10                  // and at most
	defaultMax  = 3                   // values one voter may pick by default
	maxDuration = 90 * 24 * time.Hour // the longest a poll may stay open
	labelMax    = 40                  // runes of a value that is not on the map
	proposeN    = 5                   // values the bot proposes for a casus
)

// refusal is a refused input with the catalog key of the sentence that
// says why. It wraps a sentinel error where callers may branch on one.
type refusal struct {
	err  error
	key  string
	args []any
}

func (r *refusal) Error() string {
	if r.err != nil {
		return r.err.Error() + " (" + r.key + ")"
	}
	return r.key
}

func (r *refusal) Unwrap() error { return r.err }

func badPoll(key string, args ...any) *refusal {
	return &refusal{err: ErrBadPoll, key: key, args: args}
}

// pollSettings are the words before a casus or statement.
type pollSettings struct {
	anon, hidden bool
	max          int       // 0: not given
	closesAt     time.Time // zero: no deadline
}

// parseSettings takes the settings off the front of args: anoniem,
// verborgen, max=N, duur=90m|2d|1u30m, tot=YYYY-MM-DD HH:MM. The first word
// that is none of these starts the text.
func (b *Bot) parseSettings(args string, now time.Time) (pollSettings, string, error) {
	var s pollSettings
	words := strings.Fields(args)
	haveDeadline := false
	i := 0
	for ; i < len(words); i++ {
		w := strings.ToLower(words[i])
		key, val, isSetting := strings.Cut(w, "=")
		switch {
		case w == "anoniem" || w == "anonymous":
			s.anon = true
		case w == "verborgen" || w == "hidden":
			s.hidden = true
		case isSetting && key == "max":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > maxOptions {
				return s, "", badPoll("poll.bad_max", Quote(val, 20), maxOptions)
			}
			s.max = n
		case isSetting && (key == "duur" || key == "tot"):
			if haveDeadline {
				return s, "", badPoll("poll.two_deadlines")
			}
			haveDeadline = true
			var err error
			if key == "duur" {
				var d time.Duration
				if d, err = parseDuration(val); err == nil {
					s.closesAt = now.Add(d)
				}
			} else {
				// The time is the next word: tot=2026-12-01 17:00.
				if i+1 < len(words) && clockTime.MatchString(words[i+1]) {
					i++
					val += " " + words[i]
				}
				s.closesAt, err = b.parseDeadline(val, now)
			}
			if err != nil {
				return s, "", err
			}
		default:
			return s, strings.Join(words[i:], " "), nil
		}
	}
	return s, "", nil
}

var (
	clockTime    = regexp.MustCompile(`^\d{1,2}[:.]\d{2}$`)
	durationPart = regexp.MustCompile(`(\d+)([a-z]+)`)
)

// parseDuration reads 90m, 2d, 1u30m, 1h30m, 2w: minutes, hours (u or h),
// days and weeks, at least a minute and at most maxDuration.
func parseDuration(s string) (time.Duration, error) {
	bad := badPoll("poll.bad_duration", Quote(s, 20))
	if strings.HasPrefix(s, "-") {
		return 0, badPoll("poll.duration_positive", Quote(s, 20))
	}
	parts := durationPart.FindAllStringSubmatch(s, -1)
	if len(parts) == 0 || len(strings.Join(flatten(parts), "")) != len(s) {
		return 0, bad
	}
	var d time.Duration
	for _, p := range parts {
		n, err := strconv.Atoi(p[1])
		if err != nil || n > 100000 {
			return 0, bad
		}
		unit, ok := durationUnits[p[2]]
		if !ok {
			return 0, bad
		}
		d += time.Duration(n) * unit
	}
	switch {
	case d < time.Minute:
		return 0, badPoll("poll.duration_positive", Quote(s, 20))
	case d > maxDuration:
		return 0, badPoll("poll.duration_long", Quote(s, 20), int(maxDuration/(24*time.Hour)))
	}
	return d, nil
}

func flatten(parts [][]string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = p[0]
	}
	return out
}

var durationUnits = map[string]time.Duration{
	"m": time.Minute, "min": time.Minute,
	"u": time.Hour, "h": time.Hour, "uur": time.Hour,
	"d": 24 * time.Hour, "dag": 24 * time.Hour, "dagen": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "wk": 7 * 24 * time.Hour,
}

// deadlineLayouts are the date forms tot= accepts; a date alone means the
// end of that day.
var deadlineLayouts = []string{"2006-01-02 15:04", "2006-01-02 15.04", "2006-01-02T15:04", "2-1-2006 15:04", "2-1-2006 15.04"}
var dayLayouts = []string{"2006-01-02", "2-1-2006"}

// parseDeadline reads a date and time on the wall clock of the bot's time
// zone (placed as placeWall does: a time the clock skips closes at the
// jump); it must be in the future and not further than maxDuration.
func (b *Bot) parseDeadline(s string, now time.Time) (time.Time, error) {
	s = strings.Trim(s, `"'`)
	// Parsed in UTC, which has no gaps, so that the wall time stays as typed.
	wall, ok := time.Time{}, false
	for _, l := range deadlineLayouts {
		if v, err := time.Parse(l, s); err == nil {
			wall, ok = v, true
			break
		}
	}
	for _, l := range dayLayouts {
		if ok {
			break
		}
		if v, err := time.Parse(l, s); err == nil {
			wall, ok = v.Add(24*time.Hour-time.Minute), true
		}
	}
	var t time.Time
	if ok {
		t = wallclock.Place(wall, b.cfg.Location)
	}
	switch {
	case !ok:
		return t, badPoll("poll.bad_date", Quote(s, 30))
	case !t.After(now):
		return t, badPoll("poll.date_past", b.formatTime(t))
	case t.Sub(now) > maxDuration:
		return t, badPoll("poll.duration_long", Quote(s, 30), int(maxDuration/(24*time.Hour)))
	}
	return t, nil
}

// checkText refuses an empty or too long casus or statement.
func checkText(text string) error {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return badPoll("poll.empty")
	case n > casusMax:
		return badPoll("poll.text_long", n, casusMax)
	}
	return nil
}

// valueOptions turns "privacy, gelijkheid, toegankelijkheid" into options:
// values on the Waardenkaart are found as /waarde finds them (typos and
// synonyms forgiven); anything else is kept as typed and marked as not on
// the map. Duplicates are merged.
func (b *Bot) valueOptions(list string) []PollOption {
	var out []PollOption
	for _, item := range splitList(list) {
		out = appendOption(out, b.valueOption(item))
	}
	return out
}

func (b *Bot) valueOption(item string) PollOption {
	for _, m := range b.kb.Lookup(item) {
		if v := m.Value; v != nil {
			return PollOption{Key: optionKey(v.Name), Label: v.Name, Cluster: v.Cluster.Name, OnMap: true}
		}
	}
	label := Truncate(item, labelMax)
	r, n := utf8.DecodeRuneInString(label)
	label = strings.ToUpper(string(r)) + label[n:]
	return PollOption{Key: optionKey(label), Label: label}
}

// appendOption adds o unless an option with its key is there already or its
// key is empty (nothing but punctuation).
func appendOption(opts []PollOption, o PollOption) []PollOption {
	if o.Key == "" {
		return opts
	}
	for _, have := range opts {
		if have.Key == o.Key {
			return opts
		}
	}
	return append(opts, o)
}

// optionKey is what a voter types or a button sends for an option: the
// folded label with dashes, "digitale-inclusie".
func optionKey(label string) string {
	return strings.ReplaceAll(knowledge.Fold(label), " ", "-")
}

// splitList splits at commas and semicolons and drops quotes and empty
// items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if item = strings.TrimSpace(strings.Trim(strings.TrimSpace(item), `"'`)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// proposedOptions are the values most at stake in a casus text.
func (b *Bot) proposedOptions(text string) []PollOption {
	var out []PollOption
	for _, v := range b.kb.AtStake(text, proposeN) {
		out = appendOption(out, PollOption{Key: optionKey(v.Name), Label: v.Name, Cluster: v.Cluster.Name, OnMap: true})
	}
	return out
}

// statementOptions are the choices of a /stelling.
func (b *Bot) statementOptions() []PollOption {
	return []PollOption{
		{Key: "eens", Label: b.msg.T("poll.agree")},
		{Key: "neutraal", Label: b.msg.T("poll.neutral")},
		{Key: "oneens", Label: b.msg.T("poll.disagree")},
	}
}

// statementWords are other words voters use for eens, neutraal, oneens.
var statementWords = map[string]string{
	"ja": "eens", "voor": "eens", "agree": "eens", "yes": "eens",
	"nee": "oneens", "tegen": "oneens", "disagree": "oneens", "no": "oneens",
	"weet niet": "neutraal", "neutral": "neutraal", "geen mening": "neutraal",
}

// choices resolves what a voter typed after the poll ID into option keys,
// in the poll's order: numbers (1 is the first option), keys, labels, and
// values as /waarde finds them. Items are separated by commas; an item that
// matches nothing is tried word by word. It returns the first item it could
// not place.
func (b *Bot) choices(p Poll, input string) (keys []string, unknown string) {
	chosen := map[string]bool{}
	for _, item := range splitList(input) {
		if k, ok := b.choice(p, item); ok {
			chosen[k] = true
			continue
		}
		words := strings.Fields(item)
		if len(words) < 2 {
			return nil, item
		}
		for _, w := range words {
			k, ok := b.choice(p, w)
			if !ok {
				return nil, w
			}
			chosen[k] = true
		}
	}
	for _, o := range p.Options {
		if chosen[o.Key] {
			keys = append(keys, o.Key)
		}
	}
	return keys, ""
}

func (b *Bot) choice(p Poll, item string) (string, bool) {
	if n, err := strconv.Atoi(item); err == nil {
		if n >= 1 && n <= len(p.Options) {
			return p.Options[n-1].Key, true
		}
		return "", false
	}
	key := optionKey(item)
	if p.Kind == StatementPoll {
		if k, ok := statementWords[knowledge.Fold(item)]; ok {
			key = k
		}
	}
	for _, o := range p.Options {
		if o.Key == key || optionKey(o.Label) == key {
			return o.Key, true
		}
	}
	if p.Kind != ValuePoll {
		return "", false
	}
	for _, m := range b.kb.Lookup(item) {
		if m.Value == nil {
			continue
		}
		if o, ok := p.option(optionKey(m.Value.Name)); ok {
			return o.Key, true
		}
	}
	return "", false
}
