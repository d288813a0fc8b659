-- The first schema of waardenbot's PostgreSQL store (see package doc).
-- Every value is the JSON of its domain type, as in the bbolt file
-- (poll.Poll, poll.Tally, poll.Vote, schedule.Schedule); the other
-- columns are what queries need, kept in step with the JSON by the store.
-- Times in key and query columns are Unix nanoseconds, as in the bbolt
-- file's keys: timestamptz keeps only microseconds. IDs use the "C"
-- collation, so that they sort by bytes as in bbolt.

-- +goose Up
CREATE TABLE meta (
	key   text COLLATE "C" PRIMARY KEY,
	value bytea NOT NULL
);

CREATE TABLE polls (
	id         text COLLATE "C" PRIMARY KEY,
	data       jsonb NOT NULL,
	tally      jsonb NOT NULL,
	platform   text COLLATE "C" NOT NULL,
	team       text COLLATE "C" NOT NULL,
	channel    text COLLATE "C" NOT NULL,
	created_ns bigint NOT NULL,
	open       boolean NOT NULL,
	posted     boolean NOT NULL,
	closed_ns  bigint,  -- when it closed; NULL while open
	due_ns     bigint   -- its result is to be posted from then on: the deadline, or a retry
);
CREATE INDEX polls_open ON polls (platform, team, channel, created_ns, id) WHERE open;
CREATE INDEX polls_due ON polls (due_ns) WHERE due_ns IS NOT NULL;
CREATE INDEX polls_closed ON polls (closed_ns) WHERE posted;

CREATE TABLE votes (
	poll_id text COLLATE "C" NOT NULL REFERENCES polls ON DELETE CASCADE,
	voter   text COLLATE "C" NOT NULL,
	data    jsonb NOT NULL,
	PRIMARY KEY (poll_id, voter)
);

CREATE TABLE schedules (
	id   text COLLATE "C" PRIMARY KEY,
	data jsonb NOT NULL
);

-- One row per claimed run: the primary key is what makes a run's claim
-- unique across every instance.
CREATE TABLE runs (
	schedule_id text COLLATE "C" NOT NULL,
	at_ns       bigint NOT NULL,
	state       text NOT NULL,
	updated     timestamptz NOT NULL,
	PRIMARY KEY (schedule_id, at_ns)
);
CREATE INDEX runs_state ON runs (state);

-- schedule.Store.NextNumber (debate numbers).
CREATE SEQUENCE numbers;

-- Requests and events already handled by some instance (Slack signatures,
-- trigger_ids and event_ids, Mattermost trigger_ids and mentions), until
-- the time a repeat could still arrive. Unlogged: no WAL, so no fsync per
-- request; PostgreSQL empties it after a crash of its own.
CREATE UNLOGGED TABLE seen (
	key      bytea PRIMARY KEY,
	until_ns bigint NOT NULL
);
CREATE INDEX seen_until ON seen (until_ns);

-- +goose Down
DROP TABLE seen;
DROP SEQUENCE numbers;
DROP TABLE runs;
DROP TABLE schedules;
DROP TABLE votes;
DROP TABLE polls;
DROP TABLE meta;
