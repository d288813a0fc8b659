package poll

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/waardenbot/waardenbot/bot/wallclock"
)

// Limits of a poll.
const (
	textMax     = 3000                // runes of a casus or statement
	minOptions  = 2                   // options of a poll, after merging duplicates
	maxOptions  = 10                  // and at most
	defaultMax  = 3                   // values one voter may pick by default
	maxDuration = 90 * 24 * time.Hour // the longest a poll may stay open
	labelMax    = 40                  // runes of a value that is not on the map
	proposeN    = 5                   // values the bot proposes for a casus
)

// settings are the words before a casus or statement.
type settings struct {
	anon, hidden, open bool
	max                int           // 0: not given
	closesAt           time.Time     // zero: no deadline
	remind             time.Duration // 0: no reminder

	// Which were typed at all, also as =nee: /wijzig changes only what
	// was typed, and refuses any word about anonymity.
	anonGiven, hiddenGiven, openGiven, remindGiven bool
}

// parseSettings takes the settings off the front of args: anoniem,
// verborgen, aanvullen (each also =ja or =nee), max=N,
// duur=90m|2d|1u30m, tot=YYYY-MM-DD HH:MM (on the wall clock of loc),
// herinnering=2u. The first word that is none of these starts the text.
func parseSettings(args string, now time.Time, loc *time.Location) (settings, string, error) {
	var s settings
	words := strings.Fields(args)
	haveDeadline := false
	i := 0
	for ; i < len(words); i++ {
		w := strings.ToLower(words[i])
		key, val, isSetting := strings.Cut(w, "=")
		switch {
		case key == "anoniem" || key == "anonymous":
			on, err := yesNo(key, val, isSetting)
			if err != nil {
				return s, "", err
			}
			s.anon, s.anonGiven = on, true
		case key == "verborgen" || key == "hidden":
			on, err := yesNo(key, val, isSetting)
			if err != nil {
				return s, "", err
			}
			s.hidden, s.hiddenGiven = on, true
		case key == "aanvullen":
			on, err := yesNo(key, val, isSetting)
			if err != nil {
				return s, "", err
			}
			s.open, s.openGiven = on, true
		case isSetting && (key == "herinnering" || key == "reminder"):
			d, problem := parseSpan(val)
			switch problem {
			case "":
			case "positive":
				return s, "", badInput("poll.remind_short", Echo{val, 20})
			default:
				return s, "", badInput("poll.remind_bad", Echo{val, 20})
			}
			s.remind, s.remindGiven = d, true
		case isSetting && key == "max":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > maxOptions {
				return s, "", badInput("poll.bad_max", Echo{val, 20}, maxOptions)
			}
			s.max = n
		case isSetting && (key == "duur" || key == "tot"):
			if haveDeadline {
				return s, "", badInput("poll.two_deadlines")
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
				s.closesAt, err = parseDeadline(val, now, loc)
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

// switchWords are the settings that are a word alone.
var switchWords = map[string]bool{"anoniem": true, "anonymous": true, "verborgen": true, "hidden": true, "aanvullen": true}

// yesNo reads the value of a switch: the word alone, or =ja, =nee (and
// yes, no, on, off, true, false, 1, 0).
func yesNo(key, val string, given bool) (bool, error) {
	if !given {
		return true, nil
	}
	switch val {
	case "ja", "yes", "aan", "on", "true", "1":
		return true, nil
	case "nee", "no", "uit", "off", "false", "0":
		return false, nil
	}
	return false, badInput("poll.bad_switch", Echo{key + "=" + val, 30}, key)
}

var (
	clockTime    = regexp.MustCompile(`^\d{1,2}[:.]\d{2}$`)
	durationPart = regexp.MustCompile(`(\d+)([a-z]+)`)
)

// parseDuration reads 90m, 2d, 1u30m, 1h30m, 2w: minutes, hours (u or h),
// days and weeks, at least a minute and at most maxDuration.
func parseDuration(s string) (time.Duration, error) {
	d, problem := parseSpan(s)
	switch problem {
	case "":
		return d, nil
	case "positive":
		return 0, badInput("poll.duration_positive", Echo{s, 20})
	case "long":
		return 0, badInput("poll.duration_long", Echo{s, 20}, int(maxDuration/(24*time.Hour)))
	}
	return 0, badInput("poll.bad_duration", Echo{s, 20})
}

// parseSpan reads a span of time as parseDuration does, and says what is
// wrong with it: "bad" (not a span), "positive" (under a minute), "long"
// (over maxDuration), or "" when it is fine.
func parseSpan(s string) (time.Duration, string) {
	if strings.HasPrefix(s, "-") {
		return 0, "positive"
	}
	parts := durationPart.FindAllStringSubmatch(s, -1)
	if len(parts) == 0 || len(strings.Join(flatten(parts), "")) != len(s) {
		return 0, "bad"
	}
	var d time.Duration
	for _, p := range parts {
		n, err := strconv.Atoi(p[1])
		if err != nil || n > 100000 {
			return 0, "bad"
		}
		unit, ok := durationUnits[p[2]]
		if !ok {
			return 0, "bad"
		}
		d += time.Duration(n) * unit
	}
	switch {
	case d < time.Minute:
		return 0, "positive"
	case d > maxDuration:
		return 0, "long"
	}
	return d, ""
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

// parseDeadline reads a date and time on the wall clock of loc (placed as
// wallclock.Place does: a time the clock skips closes at the jump); it
// must be in the future and not further than maxDuration.
func parseDeadline(s string, now time.Time, loc *time.Location) (time.Time, error) {
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
		t = wallclock.Place(wall, loc)
	}
	switch {
	case !ok:
		return t, badInput("poll.bad_date", Echo{s, 30})
	case !t.After(now):
		return t, badInput("poll.date_past", t)
	case t.Sub(now) > maxDuration:
		return t, badInput("poll.duration_long", Echo{s, 30}, int(maxDuration/(24*time.Hour)))
	}
	return t, nil
}

// checkText refuses an empty or too long casus or statement.
func checkText(text string) error {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return badInput("poll.empty")
	case n > textMax:
		return badInput("poll.text_long", n, textMax)
	}
	return nil
}

// cutLast splits s at the last sep: a casus may contain the separator, the
// list of values does not.
func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return strings.TrimSpace(s), "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):]), true
}
