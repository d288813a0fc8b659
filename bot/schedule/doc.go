/*
Package schedule owns what waardenbot posts on its own, without anyone
typing a command at that moment: a channel's recurring reflection prompt,
which brings the values of the Waardenkaart back one by one, and the prep
card of a council debate. It holds the schedules and their store contract,
cron specs read on the wall clock of a zone, the rotation of values, the
timing of debate preps, and the Scheduler that posts every run at its time,
exactly once.

It writes no text. A message is made by the Poster the caller gives, from
the schedule as the run's claim stored it (see Claimed); errors a user must
read are sentinels, typed errors or a *SpecError with a message catalog key,
which package bot turns into words.

# Usage

	s := schedule.New(kb, st, schedule.Config{Location: loc}, log)
	spec, err := schedule.ParseSpec("0 9 * * 1", loc, time.Now())
	sc, next, err := s.TurnOn(ctx, to, "anna", spec)  // every Monday 09:00 in loc
	go s.Run(ctx, poster)                             // posts each run through poster

TurnOff, PromptNow, Reflection, SetHolidays, Pause, Resume and SkipNext do
the rest of /reflectie; PlanDebate, CancelDebate and ComingDebates do
/debat. Each stores the change and queues
the schedule's next run. Run restores the schedules from the store first;
a caller that must wait for that calls Restore, then Run. Tests move the
clock (Config.Now) and call RunDue.

# Cron specs

A reflection schedule is a cron spec, parsed by robfig/cron v3 with five
fields, or six with seconds first:

	Field name   | Mandatory? | Allowed values  | Allowed special characters
	----------   | ---------- | --------------  | --------------------------
	Seconds      | No         | 0-59            | * / , -
	Minutes      | Yes        | 0-59            | * / , -
	Hours        | Yes        | 0-23            | * / , -
	Day of month | Yes        | 1-31            | * / , - ?
	Month        | Yes        | 1-12 or JAN-DEC | * / , -
	Day of week  | Yes        | 0-6 or SUN-SAT  | * / , - ?

So "0 9 * * 1" is Monday 09:00 (DefaultSpec), "30 16 * * fri" Friday 16:30
and "0 9 * * 1-5" every weekday. Sunday is 0 or SUN; 7 is refused. The
descriptors @yearly (@annually), @monthly, @weekly (Sunday 00:00), @daily
(@midnight) and @hourly are accepted, and "@every 48h" runs at a fixed
interval counted from the previous run. ParseSpec refuses a spec that does
not parse, never fires (0 9 30 2 *) or fires more often than once an hour
on the wall clock, with a *SpecError that names the wrong field. A zone is
given apart from the spec, not as a CRON_TZ= prefix.

# Time zones and daylight saving time

A spec is read on the wall clock of its zone, so 09:00 stays 09:00 local
time when daylight saving time starts or ends, and a time of day that a
change of offset skips or repeats runs exactly once:

  - a time the clock skips runs at the jump, the first valid moment after
    it (in Europe/Amsterdam a 02:30 job runs at 03:00 on the last Sunday of
    March);
  - a time the clock shows twice runs at its first occurrence only (the
    first 02:30 on the last Sunday of October);
  - when a jump takes several times of a spec with it, they run once, at
    the jump.

This holds for every change in the tz database, of any size and at any
hour (package wallclock places the times). robfig/cron's own Next would
skip the first and run the second twice. @every counts elapsed time.

# The council's calendar

Runs follow the municipality's calendar (Config.Calendar, package
bot/calendar: the Dutch public holidays and the configured recesses), on
the wall-clock date of the schedule's zone:

  - a reflection run on a day of the channel's pause (Pause) or of a recess
    is left out, and the rotation does not move;
  - a reflection run on a public holiday follows the channel's HolidayRule:
    by default it moves to the next working day (no weekend, no holiday) at
    the same time of day, unless that day is in the pause or a recess;
    HolidaysSkip leaves it out; HolidaysIgnore posts it as on any day;
  - a run skipped with SkipNext is left out;
  - a debate prep card whose moment falls on a weekend, a holiday or in a
    recess comes at 09:00 on the working day before it, never later, so
    never after the debate (Schedule.PrepMoved says from where and why).

A run is keyed by the moment it is posted: planned runs that move to one
moment (Goede Vrijdag's and Tweede Paasdag's, moved to the Tuesday, and the
Tuesday's own) are one run. Reflection lists the next runs with what the
calendar moved or left out between them, and why (an Occurrence with a
Reason: data, never text).

# Guarantees

Exactly once: a run is claimed in one transaction that also moves the
schedule on (the rotation's next value, the debate prep's state, the last
run time); only then is its message made and posted, and afterwards the run
is marked posted or failed. A claimed run is never posted again, not after a
restart and not when two wake-ups race. When the bot stops between claiming
and posting, that post is lost rather than risked twice; due runs are
claimed in chunks of 64, so a crash loses at most one chunk. A failed post
is not retried: the value goes back into the rotation, or the debate prep is
marked failed.

Catch-up: a run missed while the bot was down is posted once at start-up,
marked late, when it is at most the grace period (Config.Grace, default 12
hours) late; of several missed runs only the latest within the grace period.
Older misses are skipped and logged; a missed debate prep is marked missed,
and a prep card is also skipped when its debate has begun. A run the
calendar left out (a recess, the holiday rule, a pause, a skip) is no run:
it is never caught up. A run moved to the next working day is a run at the
moment it moved to, and is caught up like any other.

Rotation: per channel every value comes once before any comes back, in an
order drawn from the schedule's ID and the round number that never puts two
values of one cluster after each other, also not across rounds.
*/
package schedule
