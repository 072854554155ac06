package io.locusttelemetry.engine;

import java.util.Collection;
import java.util.Set;

/**
 * Which tasks run, by their {@link Tag}s ({@code --tags}, {@code --exclude-tags}): a task runs when
 * it has one of {@link #tags()} (or no tags are asked for) and none of {@link #excludeTags()}.
 * Immutable.
 *
 * @param tags        tags of which a task needs one; empty for every task
 * @param excludeTags tags that keep a task from running; empty for none
 */
public record TagFilter(Set<String> tags, Set<String> excludeTags) {
    /** Every task runs. */
    public static final TagFilter ALL = new TagFilter(Set.of(), Set.of());

    public TagFilter {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        excludeTags = excludeTags == null ? Set.of() : Set.copyOf(excludeTags);
    }

    /** A filter from the option values; null or empty means no filter on that side. */
    public static TagFilter of(Collection<String> tags, Collection<String> excludeTags) {
        return new TagFilter(tags == null ? null : Set.copyOf(tags), excludeTags == null ? null : Set.copyOf(excludeTags));
    }

    /** Whether this filter leaves out any task at all. */
    public boolean isActive() {
        return !tags.isEmpty() || !excludeTags.isEmpty();
    }

    /** {@link #tags()} as the engine keeps it: null for no filter. */
    Set<String> tagsOrNull() {
        return tags.isEmpty() ? null : tags;
    }

    /** {@link #excludeTags()} as the engine keeps it: null for no filter. */
    Set<String> excludeTagsOrNull() {
        return excludeTags.isEmpty() ? null : excludeTags;
    }
}
