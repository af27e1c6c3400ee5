package dev.sbx.controlplane.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs real local sandboxes. Where bwrap is not installed (macOS, a container without
 * it) it is skipped, saying why; under CI it always runs, so a missing install fails loudly.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(BubblewrapCondition.class)
public @interface RequiresBubblewrap {}
