package bot

import (
	"errors"
	"net/url"
	"time"
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
// stored whole; Version changes whenever a person changes the schedule, so
// that a run planned for an older version is not posted.
type Schedule struct {
	ID      string
	Kind    Kind
	To      Destination
	Version int
	Created time.Time
	By      string // who last changed it, for the log and /debat lijst

	// Reflection.
	On    bool      // posting on the spec; off keeps the rotation
	Spec  string    // the cron spec as accepted, without a zone
	Zone  string    // IANA time zone the spec is read in
	Since time.Time // when it was last turned on: runs before it are not caught up
	Turn  Rotation

	// DebatePrep.
	Number   uint64 // what users type after /debat annuleer
	Topic    string // as typed (cleaned), escaped when shown
	DebateAt time.Time
	HasTime  bool // the user gave a time of day for the debate
	PrepAt   time.Time
	State    DebateState

	// Last is the scheduled time of the last run claimed for this schedule.
	Last time.Time
}

// Rotation is a channel's place in the values of the Waardenkaart: the
// order of the current round and how many prompts the channel has had.
type Rotation struct {
	Round int      // rounds completed
	Order []string // value names of the current round
	Pos   int      // prompts given in the current round
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

// ScheduleStore keeps schedules and their runs durably. Every method is one
// transaction: a schedule is stored whole or not at all.
type ScheduleStore interface {
	// Schedules returns the schedules whose ID starts with prefix, in ID order.
	Schedules(prefix string) ([]Schedule, error)
	// Schedule returns the schedule with id, and false when there is none.
	Schedule(id string) (Schedule, bool, error)
	// UpdateSchedule reads the schedule with id (a zero Schedule with only ID
	// set when there is none), lets fn change it and stores it. When fn
	// returns an error nothing is stored and the error is returned.
	UpdateSchedule(id string, fn func(*Schedule) error) (Schedule, error)
	// NextNumber returns a number never returned before, for debate IDs.
	NextNumber() (uint64, error)
	// ClaimRun records the run (id, at) as claimed and applies fn to the
	// schedule (a zero Schedule with only ID set when there is none),
	// atomically. It returns ErrRunClaimed when that run was claimed
	// before; fn's error aborts the claim and is returned. fn may be called
	// more than once, so it must not have effects outside the schedule.
	ClaimRun(id string, at time.Time, fn func(*Schedule) error) (Schedule, error)
	// FinishRun records how a claimed run ended.
	FinishRun(id string, at time.Time, state RunState) error
	// Runs returns the runs in state, oldest first.
	Runs(state RunState) ([]Run, error)
	// PruneRuns deletes runs scheduled before t and returns how many.
	PruneRuns(t time.Time) (int, error)
}

// reflectionID is the ID of a channel's reflection schedule. IDs sort by
// kind, then platform, team and channel.
func reflectionID(d Destination) string {
	return string(Reflection) + "/" + url.PathEscape(d.Platform) + "/" + url.PathEscape(d.Team) + "/" + url.PathEscape(d.Channel)
}

// debatePrefix starts every debate prep ID.
const debatePrefix = string(DebatePrep) + "/"

func debateID(n uint64) string {
	return debatePrefix + leftPad(n)
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

func destinationOf(req Request) Destination {
	return Destination{Platform: req.Platform, Team: req.Team, Channel: req.Channel}
}
