// Regenerates the verdict tables the tests compare pkwc with; the tests themselves need no Java.
//
//   javac -d /tmp JavaVerdicts.java
//   java -cp /tmp JavaVerdicts regex INPUT >java-regex-verdicts.tsv
//   java -cp /tmp JavaVerdicts uri INPUT >java-uri-verdicts.tsv
//
// INPUT has one JSON string per line (the pattern or URI). Each output line is
// `OK<TAB>"input"` or `ERR<TAB>"input"<TAB>index<TAB>description`, from Pattern.compile(input) or
// new java.net.URI(input). The tables in this directory come from OpenJDK 17.
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public class JavaVerdicts {
    public static void main(String[] args) throws Exception {
        var out = new java.io.PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (String line : Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String s = decode(line.strip());
            String json = encode(s);
            try {
                if (args[0].equals("regex")) Pattern.compile(s); else new URI(s);
                out.println("OK\t" + json);
            } catch (PatternSyntaxException e) {
                out.println("ERR\t" + json + "\t" + e.getIndex() + "\t" + controls(e.getDescription()));
            } catch (URISyntaxException e) {
                out.println("ERR\t" + json + "\t" + e.getIndex() + "\t" + controls(e.getReason()));
            }
        }
    }

    static String decode(String lit) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < lit.length() - 1; i++) {
            char c = lit.charAt(i);
            if (c != '\\') { sb.append(c); continue; }
            char e = lit.charAt(++i);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'u': sb.append((char) Integer.parseInt(lit.substring(i + 1, i + 5), 16)); i += 4; break;
                default: sb.append(e);
            }
        }
        return sb.toString();
    }

    static String encode(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == '"') sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    static String controls(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c);
        }
        return sb.toString();
    }
}
