package io.df2redis.replica.internal;

import io.df2redis.replica.DragonflyEndpoint;
import io.df2redis.replica.MasterInfo;
import io.df2redis.replica.ReplicatorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The resume decisions by release (spec §6.2): which form of partial sync is asked for, and why not. */
class ResumePlanTest {
    private static final String ID = "00112233445566778899aabbccddeeff00112233";

    private static MasterInfo master(String release) {
        return new MasterInfo(ID, "SYNC1", 2, 4, ID, release);
    }

    private static ResumePosition position() {
        return new ResumePosition(ID, 2, new long[] {5, 7}, Optional.empty(), "the test position");
    }

    private static ReplicatorOptions options(boolean partial) {
        return ReplicatorOptions.builder(DragonflyEndpoint.of("localhost", 6379)).partialSync(partial).build();
    }

    @ParameterizedTest(name = "release [{0}] -> {1}")
    @CsvSource({
            "df-v1.15.1, FULL", "df-v1.16.0, INCREMENTAL", "df-v1.20.1, INCREMENTAL", "df-v1.21.0, FULL",
            "df-v1.30.3, FULL", "df-v1.31.0, INCREMENTAL", "df-v1.34.2, INCREMENTAL", "df-v1.35.0, RAW_JOURNAL",
            "df-v1.40.1, RAW_JOURNAL", "df-v2.0.0, RAW_JOURNAL", "'', FULL", "df-dev, FULL"})
    void theFormFollowsTheRelease(String release, SyncForm expected) {
        assertThat(SyncForm.partialFormOf(master(release))).isEqualTo(expected);
        assertThat(ResumePlan.supportsIncrementalPartialSync(master(release)))
                .isEqualTo(expected == SyncForm.INCREMENTAL);
        assertThat(ResumePlan.supportsRawPartialSync(master(release))).isEqualTo(expected == SyncForm.RAW_JOURNAL);
        assertThat(expected.partial()).isEqualTo(expected != SyncForm.FULL);
    }

    @ParameterizedTest(name = "release [{0}]")
    @CsvSource({"df-v1.16.0", "df-v1.20.1", "df-v1.31.0", "df-v1.34.2", "df-v1.35.0", "df-v1.40.1"})
    void releasesWithAPartialSyncAreAsked(String release) {
        assertThat(ResumePlan.askPartial(position(), master(release), options(true), Optional.empty(), null))
                .isTrue();
    }

    @ParameterizedTest(name = "release [{0}]")
    @CsvSource({"df-v1.15.1", "df-v1.21.0", "df-v1.30.3", "''"})
    void releasesWithoutAPartialSyncAreNotAsked(String release) {
        assertThat(ResumePlan.askPartial(position(), master(release), options(true), Optional.empty(), null))
                .isFalse();
    }

    @Test
    void theSameMasterAndFlowCountAndTheOptionAreRequired() {
        MasterInfo m = master("df-v1.34.2");
        assertThat(ResumePlan.askPartial(null, m, options(true), Optional.empty(), null)).isFalse();
        assertThat(ResumePlan.askPartial(position(), m, options(false), Optional.empty(), null)).isFalse();
        MasterInfo other = new MasterInfo("ff" + ID.substring(2), "SYNC1", 2, 4, ID, "df-v1.34.2");
        assertThat(ResumePlan.askPartial(position(), other, options(true), Optional.empty(), null)).isFalse();
        MasterInfo three = new MasterInfo(ID, "SYNC1", 3, 4, ID, "df-v1.34.2");
        assertThat(ResumePlan.askPartial(position(), three, options(true), Optional.empty(), null)).isFalse();
        assertThat(ResumePlan.askPartial(position(), m, options(true), Optional.of("redis://x"), null)).isFalse();
    }

    @Test
    void theReasonsNameTheReleaseAndWhatWouldWork() {
        assertThat(ResumePlan.unsupportedReleaseReason("df-v1.30.3")).contains("release df-v1.30.3",
                "no partial sync (v1.21 to v1.30 always answer FULL)");
        assertThat(ResumePlan.unsupportedReleaseReason("df-v1.15.1")).contains("release df-v1.15.1",
                "v1.16 to v1.20 and v1.31 to v1.34 with an incremental snapshot after DFLY SYNC", "from v1.35 on");
        assertThat(ResumePlan.unsupportedReleaseReason("")).contains("unknown release");
        assertThat(ResumePlan.unsupportedReleaseReason("df-v1.34.2")).doesNotContain("not implement");
    }

    @Test
    void withoutAMasterThePreviousPositionStays() {
        ResumePosition p = position();
        assertThat(ResumePlan.next(p, null, List.of(), 0, true, false, Optional.empty())).isSameAs(p);
    }
}
