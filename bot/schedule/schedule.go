package schedule

import (
	"errors"
	"net/url"
	"slices"
	"time"

	"github.com/waardenbot/waardenbot/bot/chat"
)

// Kind is what a schedule posts.
type Kind string

// Kinds of schedule.
const (
	Reflection Kind = "reflectie" // a recurring reflection prompt in a channel (/reflectie)
	DebatePrep Kind = "debat"     // a one-off debate prep card before a council debate (/debat)
)

// DebateState is where a debate prep is in its life.
type DebateState string

// States of a debate prep.
const (
	PrepPlanned   DebateState = "gepland"     // waiting for its prep moment
	PrepPosted    DebateState = "geplaatst"   // the card went out
	PrepFailed    DebateState = "mislukt"     // posting failed; it is not tried again
	PrepMissed    DebateState = "gemist"      // the bot was down longer than the grace period
	PrepCancelled DebateState = "geannuleerd" // cancelled with /debat annuleer
)

// Schedule is something the bot posts in a channel at set times: the weekly
// reflection prompt of a channel, or the prep card for one debate. It is
// stored whole (as JSON: its field names are part of the data file's
// format); Version changes whenever a person changes the schedule, so that
// a run planned for an older version is not posted.
type Schedule struct {
	ID      string
	Kind    Kind
	To      chat.Destination
	Version int
	Created time.Time
	By      string // who last changed it, for the log and /debat lijst

	// Reflection.
	On    bool      // posting on the spec; off keeps the rotation
	Spec  string    // the cron spec as accepted, without a zone
	Zone  string    // IANA time zone the spec is read in
	Since time.Time // when it was last turned on: runs before it are not caught up
	Turn  Rotation

	// Calendar is what the channel chose about the council's calendar;
	// nil (and left out of the data file) until someone does.
	Calendar *ChannelCalendar `json:",omitempty"`

	// DebatePrep.
	Number   uint64 // what users type after /debat annuleer
	Topic    string // as typed (cleaned), escaped when shown
	DebateAt time.Time
	HasTime  bool // the user gave a time of day for the debate
	PrepAt   time.Time
	State    DebateState

	// PrepMoved is set when the calendar moved the prep card to an
	// earlier working day.
	PrepMoved *PrepMove `json:",omitempty"`

	// Last is the scheduled time of the last run claimed for this schedule.
	Last time.Time
}

// ChannelCalendar is what a channel chose about the council's calendar for
// its reflection prompt: a holiday rule, a pause, runs to skip.
type ChannelCalendar struct {
	Holidays      HolidayRule `json:",omitempty"` // what a public holiday does to a run
	HolidaysSince time.Time   `json:",omitzero"`  // when Holidays was last set: earlier runs keep the rule they had
	Pause         Period      `json:",omitzero"`  // no runs on these days (/reflectie pauze)
	Skip          []time.Time `json:",omitempty"` // runs left out with /reflectie overslaan, by the time they would be posted
}

// Choices returns what the channel chose about the calendar: the zero
// ChannelCalendar (the defaults) when nothing.
func (sc Schedule) Choices() ChannelCalendar {
	if sc.Calendar == nil {
		return ChannelCalendar{}
	}
	return *sc.Calendar
}

// choose changes what the channel chose with fn, and drops the choices
// again when they are all back to the defaults.
func (sc *Schedule) choose(fn func(*ChannelCalendar)) {
	c := sc.Choices()
	c.Skip = slices.Clone(c.Skip)
	fn(&c)
	if c.Holidays == HolidaysNextWorkingDay && c.HolidaysSince.IsZero() && c.Pause.IsZero() && len(c.Skip) == 0 {
		sc.Calendar = nil
		return
	}
	sc.Calendar = &c
}

// PrepMove is where a debate's prep card moved from, to an earlier
// working day, and why.
type PrepMove struct {
	From time.Time // the moment the debate gives: PrepDays before it, at 09:00
	Why  Reason
}

// RunState is how a run of a schedule at one scheduled time went.
type RunState string

// States of a run. A run is claimed before it is posted, in the same
// transaction that moves the schedule on, and marked afterwards.
const (
	RunClaimed     RunState = "claimed"     // about to be posted
	RunPosted      RunState = "posted"      // the poster accepted it
	RunFailed      RunState = "failed"      // the poster returned an error
	RunUnconfirmed RunState = "unconfirmed" // claimed, then the bot stopped before it knew
)

// Run is one scheduled moment of a schedule; (ScheduleID, At) is its
// idempotency key.
type Run struct {
	ScheduleID string
	At         time.Time
	State      RunState
}

// ErrRunClaimed means the run was claimed before: it was posted or is
// being posted, and must not be posted again.
var ErrRunClaimed = errors.New("run already claimed")

// ReflectionID is the ID of a channel's reflection schedule. IDs sort by
// kind, then platform, team and channel.
func ReflectionID(d chat.Destination) string {
	return string(Reflection) + "/" + url.PathEscape(d.Platform) + "/" + url.PathEscape(d.Team) + "/" + url.PathEscape(d.Channel)
}

// DebatePrefix starts every debate prep ID.
const DebatePrefix = string(DebatePrep) + "/"

// DebateID is the ID of the debate prep with number n; IDs sort by number.
func DebateID(n uint64) string {
	return DebatePrefix + leftPad(n)
}

// leftPad writes n with 10 digits so that IDs sort by number.
func leftPad(n uint64) string {
	b := []byte("0000000000")
	for i := len(b) - 1; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
