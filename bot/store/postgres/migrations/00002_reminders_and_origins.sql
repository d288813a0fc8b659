-- Issue 13: reminders to those who have not voted, and one poll per form
-- submission. As in 00001, a poll's new fields live in its JSON; what is
-- added here is what queries and uniqueness need.

-- +goose Up

-- When the poll's non-voters are reminded (Unix nanoseconds), while it
-- awaits its reminder (poll.Poll.AwaitsReminder); NULL otherwise. No poll
-- stored before this version has a reminder, so nothing is filled in.
ALTER TABLE polls ADD COLUMN remind_ns bigint;
CREATE INDEX polls_remind ON polls (remind_ns) WHERE remind_ns IS NOT NULL;

-- One poll per form submission: the primary key is what refuses a second
-- poll from one origin, also when two instances create it at once. The
-- origin goes with its poll.
CREATE TABLE origins (
	origin  text COLLATE "C" PRIMARY KEY,
	poll_id text COLLATE "C" NOT NULL REFERENCES polls ON DELETE CASCADE
);
CREATE INDEX origins_poll ON origins (poll_id);

-- Who was in a poll's channel when it started, by roster key
-- (poll.Remindee.Key: a user ID, or in an anonymous poll a keyed hash).
CREATE TABLE rosters (
	poll_id text COLLATE "C" NOT NULL REFERENCES polls ON DELETE CASCADE,
	key     text COLLATE "C" NOT NULL,
	PRIMARY KEY (poll_id, key)
);

-- One row per claimed reminder, inserted before it is sent: the primary
-- key is what makes a person's reminder unique across every instance, and
-- the foreign key keeps claims to people on the roster.
CREATE TABLE reminder_claims (
	poll_id    text COLLATE "C" NOT NULL,
	key        text COLLATE "C" NOT NULL,
	claimed_at timestamptz NOT NULL,
	PRIMARY KEY (poll_id, key),
	FOREIGN KEY (poll_id, key) REFERENCES rosters ON DELETE CASCADE
);

-- +goose Down
DROP TABLE reminder_claims;
DROP TABLE rosters;
DROP TABLE origins;
DROP INDEX polls_remind;
ALTER TABLE polls DROP COLUMN remind_ns;
