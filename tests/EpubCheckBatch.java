// EPUBCheck on many EPUBs in one Java process: the checker's own API (com.adobe.epubcheck.api),
// one report per file. Java starts once (seconds) instead of once per book.
// Compiled and run by tests/checkers.py (epubcheck_messages): java EpubCheckBatch BOOK.epub...
// Prints EPUBCheck's messages, then for each book one line:
//   @@ <path> fatals=F errors=E warnings=W infos=I
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import com.adobe.epubcheck.util.ReportingLevel;
import java.io.File;

public class EpubCheckBatch {
  public static void main(String[] args) {
    for (String path : args) {
      DefaultReportImpl report = new DefaultReportImpl(path);
      report.setReportingLevel(ReportingLevel.Info);
      new EpubCheck(new File(path), report).doValidate();
      System.out.flush();
      System.err.flush();
      System.out.println("@@ " + path + " fatals=" + report.getFatalErrorCount()
          + " errors=" + report.getErrorCount() + " warnings=" + report.getWarningCount()
          + " infos=" + report.getInfoCount());
    }
  }
}
