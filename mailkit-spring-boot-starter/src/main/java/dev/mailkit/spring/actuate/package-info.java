/** Actuator health and Micrometer meters for the mailkit servers, each when its library is on the class path. */
package dev.mailkit.spring.actuate;
