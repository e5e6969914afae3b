package io.warroom.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.warroom.ingest.Rec;
import java.util.List;
import java.util.UUID;

/** For the benchmark: the store's own batch INSERT, without HTTP, parsing or the aggregator. */
public final class PgDirect {
  private PgDirect() {}

  /** Creates the schema in the database at the given URL, as the server's start does. */
  public static void migrate(String url) {
    PgStore.migrate(PgStore.connectOptions(url));
  }

  /** Inserts one batch with PgSql.APPEND; answers how many rows were new. */
  public static Future<Integer> append(SqlClient client, List<Rec> records) {
    return client.preparedQuery(PgSql.APPEND).execute(PgSql.appendParams(records, UUID.randomUUID(), 0))
        .map(rows -> rows.rowCount());
  }
}
