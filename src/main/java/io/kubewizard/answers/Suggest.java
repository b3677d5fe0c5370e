package io.kubewizard.answers;

import java.util.Collection;
import java.util.Locale;

/** "did you mean …?": the known word with the smallest edit distance, if it is close enough. */
public final class Suggest {
    private Suggest() {}

    public static String closest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(2, word.length() / 3);
        for (String k : known) {
            // the distance is at least the length difference; skipping those keeps a huge garbled key cheap
            if (Math.abs(word.length() - k.length()) > limit) continue;
            int d = distance(word.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (bestDistance <= limit) return best;
        // a key cut short or run on ("sandbox" for "sandboxImage") is far in edits but plain to a reader
        String lower = word.toLowerCase(Locale.ROOT);
        for (String k : known) {
            String kl = k.toLowerCase(Locale.ROOT);
            if (Math.min(lower.length(), kl.length()) >= 4 && (kl.startsWith(lower) || lower.startsWith(kl))) return k;
        }
        return null;
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("podSubnte"). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
