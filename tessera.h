/* tessera.h: the public API of Tessera, for dashboards written in C.
 *
 * A dashboard is a function run top to bottom on a worker thread. It calls
 * element functions (tess_title, tess_metric, ...), input functions that return
 * the input's current value (tess_slider, ...), and tess_fragment() to declare
 * fragments: sections that own a slot, run in parallel when asked to, and rerun
 * alone when an input they read changes.
 */
#pragma once

#include "tess-frame.h"
#include "tess-csv.h"
#include "tess-json-reader.h"
#include "tess-cache.h"
#include "tess-source.h"
#include "tess-transform.h"
#include "tess-load.h"
#include "tess-element.h"
#include "tess-run.h"
#include "tess-charts.h"
#include "tess-session.h"
#include "tess-app.h"
