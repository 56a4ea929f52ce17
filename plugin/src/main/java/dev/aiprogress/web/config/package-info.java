/**
 * The plugin's whole configuration, read once at startup: {@link dev.aiprogress.web.config.Config}
 * reads the sources (context params, the properties file, system properties) and assembles the
 * options record of each part from that part's own key table. It sits above every package that
 * declares keys and imports them; only {@code web.bootstrap} (and the demo launcher) import it.
 */
package dev.aiprogress.web.config;
