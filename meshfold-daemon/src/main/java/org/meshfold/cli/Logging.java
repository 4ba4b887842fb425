package org.meshfold.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Adds the daemon's log file (in the home) next to the stderr log configured in logback.xml. */
final class Logging {
    private Logging() {
    }

    /**
     * Keeps the stderr log to warnings and errors (unless MESHFOLD_LOG_LEVEL asks for more), so a
     * command that runs the device briefly shows its own progress rather than the device's log.
     */
    static void quietConsole() {
        if (System.getenv("MESHFOLD_LOG_LEVEL") != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("stderr");
        if (console != null && console.getCopyOfAttachedFiltersList().isEmpty()) {
            ThresholdFilter warnings = new ThresholdFilter();
            warnings.setContext(context);
            warnings.setLevel("WARN");
            warnings.start();
            console.addFilter(warnings);
        }
    }

    static void addFileLog(Path file) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{24} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
}
