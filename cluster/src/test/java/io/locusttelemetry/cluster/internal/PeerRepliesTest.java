package io.locusttelemetry.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerRepliesTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final PeerReplies replies = new PeerReplies(clock::get);

    private void advance(double seconds) {
        clock.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void aStrangerIsAskedToReconnectOnceASecondThenToQuit() {
        int reconnects = 0;
        int quits = 0;
        for (int tenth = 0; tenth < 150; tenth++) {
            for (int i = 0; i < 100; i++) {
                switch (replies.unknown("stranger")) {
                    case RECONNECT -> reconnects++;
                    case QUIT -> quits++;
                    case NONE -> { }
                }
            }
            advance(0.1);
        }
        assertThat(reconnects).isEqualTo(10);
        assertThat(quits).isEqualTo(5);
    }

    @Test
    void announcingItselfMakesANodeKnownAgain() {
        replies.unknown("w");
        advance(11);
        assertThat(replies.unknown("w")).isEqualTo(PeerReplies.Reply.QUIT);
        replies.admitted("w");
        assertThat(replies.unknown("w")).isEqualTo(PeerReplies.Reply.RECONNECT);
    }

    @Test
    void answersToMalformedFramesAreLimitedPerSender() {
        assertThat(replies.answerDue("a")).isTrue();
        assertThat(replies.answerDue("a")).isFalse();
        assertThat(replies.answerDue("b")).isTrue();
        advance(1);
        assertThat(replies.answerDue("a")).isTrue();
    }

    @Test
    void inventedIdentitiesCannotGrowItWithoutBound() {
        for (int i = 0; i < 100_000; i++) {
            replies.unknown("peer-" + i);
        }
        // the oldest were forgotten: a forgotten stranger starts over with a reconnect
        assertThat(replies.unknown("peer-0")).isEqualTo(PeerReplies.Reply.RECONNECT);
    }
}
