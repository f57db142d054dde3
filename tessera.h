/* tessera.h: the public API of Tessera, for dashboards written in C.
 *
 * A dashboard is a function run top to bottom on a worker thread. It calls
 * element functions (tess_title, tess_metric, ...), input functions that return
 * the input's current value (tess_slider, ...), and tess_fragment() to declare
 * fragments: sections that own a slot, run in parallel when asked to, and rerun
 * alone when an input they read changes.
 *
 * An input belongs to the one fragment (or the dashboard) that declares it:
 * a second declaration of its key elsewhere is an error naming both, and a
 * fragment that needs another's input reads it through tess_input_lookup()
 * (the rules are in tess-run.h, at "Inputs").
 *
 * This is the one header a dashboard includes. The headers it pulls in refuse
 * to be included on their own; inside Tessera, each layer includes the
 * headers of the layers below it directly.
 *
 *   data       frames, readers, sources, databases, the cache, transforms,
 *              trust, the memory budget
 *   fragments  runs, elements, inputs, charts, loading, sessions
 *   app        tess_app_run(): the window and the command line
 */
#pragma once

#define TESSERA_INSIDE

#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-memory.h"
#include "tess-trust.h"
#include "tess-source.h"
#include "tess-sql.h"
#include "tess-transform.h"

#include "tess-element.h"
#include "tess-run.h"
#include "tess-charts.h"
#include "tess-load.h"
#include "tess-session.h"

#include "tess-app.h"

#undef TESSERA_INSIDE
