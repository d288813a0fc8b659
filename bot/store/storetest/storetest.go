// Package storetest is the contract every store of waardenbot keeps, as
// tests: the bbolt file (package bot/store) and PostgreSQL (package
// bot/store/postgres) both run Run, so that package bot cannot tell which
// one it talks to. A behaviour that poll.Store or schedule.Store promises
// belongs here, with a test named after it; what only one store does (a
// file's mode, a file held by another process, an election) stays in that
// store's own tests.
//
// Postgres gives the tests of any package a fresh, empty schema in the
// database of WAARDENBOT_TEST_POSTGRES_DSN, or skips them with a message
// that says how to start one (e2e/postgres/start.sh).
package storetest

import (
	"testing"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/schedule"
)

// Store is what the contract is about: bot.Store, and Close.
type Store interface {
	poll.Store
	schedule.Store
	Close() error
}

// Kit is how the tests reach a store.
type Kit struct {
	// Open makes a fresh, empty store for one test and returns it with a
	// function that opens the same store again after it was closed (a
	// restart). The test closes what it opens; Open may also register a
	// cleanup.
	Open func(t *testing.T) (st Store, reopen func() Store)
	// ErrClosed is the error a closed store returns.
	ErrClosed error
	// Roster returns how many people poll id's roster holds in st, and
	// how many of their reminders were claimed: what no method shows.
	Roster func(st Store, id string) (n, claimed int, err error)
	// Leftovers lists what st keeps about polls besides the polls, their
	// tallies and votes (roster entries, claims, origins, entries of
	// its reminder index), one string each: a store without polls has
	// none.
	Leftovers func(st Store) ([]string, error)
}

// Run runs every contract test against the stores kit opens.
func Run(t *testing.T, kit Kit) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, Kit)
	}{
		{"SecretIsKeptAcrossRestartsAndDiffersPerInstallation", testSecret},
		{"CreatePollRefusesTakenID", testTakenID},
		{"RefusalsWrapSentinelErrors", testRefusals},
		{"ConcurrentVotesCountExactly", testConcurrentVotes},
		{"ConcurrentVotesOfOneVoterEachStartFromTheLast", testOneVoter},
		{"RefusedChangeWritesNothing", testRefusedChange},
		{"VoteAfterCloseGivesErrClosed", testVoteAfterClose},
		{"ClosePollIsRefusedTwiceAndByAllow", testClosePoll},
		{"CloseDueTakesOnlyPollsWhoseDeadlineCame", testCloseDue},
		{"ConcurrentCloseDueClosesEachPollOnce", testConcurrentCloseDue},
		{"UnpostedResultComesBackFromRetryOn", testUnposted},
		{"PollMessageIsKeptAcrossRestartsAndVotes", testPollMessage},
		{"PrunePollsDeletesOnlyOldClosedPollsWithTheirVotes", testPrune},
		{"OpenPollsAreThoseOfTheChannelOldestFirst", testOpenPolls},
		{"PollsListsWhatKeepAcceptsOldestFirstAndVotesListsEveryVoter", testPollsAndVotes},
		{"UpdatePollMovesTheDeadlineAndTheReminderWithThePoll", testUpdatePoll},
		{"RemindersDueAreOpenPollsNotRemindedOldestReminderFirst", testRemindersDue},
		{"ClaimsAreOncePerPersonAcrossReopening", testClaimsOnce},
		{"NoClaimsOnceThePollClosed", testClaimsStopAtClose},
		{"ConcurrentClaimsOfOnePersonHaveOneWinner", testConcurrentReminderClaims},
		{"OnePollPerOriginAndRepeatsAreLinked", testOrigins},
		{"ConcurrentPollsFromOneOriginMakeOne", testConcurrentOrigins},
		{"PruningDeletesRosterAndFreesTheOrigin", testPruneRoster},
		{"ClaimRunTwiceIsRefused", testClaimTwice},
		{"ConcurrentClaimsOfOneRunHaveOneWinner", testConcurrentClaims},
		{"FailedUpdateOrClaimStoresNothing", testFailedWrites},
		{"ConcurrentUpdatesOfOneScheduleAllApply", testConcurrentUpdates},
		{"SchedulesByPrefixInIDOrder", testPrefix},
		{"RunsAndPrune", testRuns},
		{"RunTimesKeepTheirNanoseconds", testRunNanos},
		{"NextNumberNeverRepeats", testNextNumber},
		{"ScheduleMethodsDoNothingOnceTheContextIsDone", testCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, kit) })
	}
}
